// The evaluation's baseline: Pagefind's own ranking over the same built pages, first 10.
(function () {
  "use strict";
  var query = new URLSearchParams(location.search).get("q") || "";
  import("/pagefind/pagefind.js").then(function (pagefind) {
    return pagefind.search(query);
  }).then(function (search) {
    return Promise.all(search.results.slice(0, 10).map(function (r) { return r.data(); }));
  }).then(function (all) {
    var list = document.querySelector("ol");
    all.forEach(function (data) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = data.url; link.textContent = data.url;
      item.appendChild(link); list.appendChild(item);
    });
  }).finally(function () { document.documentElement.setAttribute("data-done", ""); });
})();
