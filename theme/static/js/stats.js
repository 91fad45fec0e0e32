// Refreshes the visit counters, and "Lượt xem" of the most viewed articles, from
// stats.json (same site) between builds. Other articles, and every number if
// anything fails, keep the figure rendered at build time.
(function () {
  var box = document.querySelector("[data-stats-url]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-stats-url");
  function format(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  function fill(selector, attribute, values) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) {
      var value = values && values[nodes[i].getAttribute(attribute)];
      if (typeof value === "number") nodes[i].textContent = format(value);
    }
  }
  function refresh() {
    if (document.hidden) return;
    fetch(url, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        fill("[data-stats-field]", "data-stats-field", data);
        fill("[data-stats-views]", "data-stats-views", data.views);
      })
      .catch(function () {});
  }
  refresh();
  setInterval(refresh, 60000);
})();
