// Search at /tim-kiem/ with the Pagefind index built after Pelican. Without JavaScript
// the page still offers links to every category and to the documents.
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var category = form.querySelector("select[name=chuyen-muc]");
  var year = form.querySelector("select[name=nam]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var more = document.querySelector("[data-search-more]");
  var PAGE_SIZE = 10;
  var pagefind = null;
  var current = { results: [], shown: 0, terms: [] };
  var searchCount = 0;
  var timer = null;

  // The same folding the build applies to words with "đ" (plugins/search/folding.py).
  function fold(text) {
    return text.normalize("NFC").toLowerCase().replace(/đ/g, "d")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function formatNumber(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  var WINDOW = 32;

  // Which query term a word is (-1 for none), accents or not. Earlier terms must match
  // whole words; the last one may be a prefix, as the reader may still be typing it.
  function termOf(word, terms) {
    var folded = fold(word).replace(/^[^\w]+|[^\w]+$/g, "");
    for (var i = 0; i < terms.length; i++) {
      var last = i === terms.length - 1;
      if (folded === terms[i] || folded.indexOf(terms[i] + "/") === 0 ||
          (last && folded.indexOf(terms[i]) === 0)) { return i; }
    }
    return -1;
  }

  // An excerpt from the article's own text: the window holding the most different query
  // words, with those words marked. Built with DOM nodes, never innerHTML.
  function excerpt(data, terms) {
    var words = data.content.split(/\s+/);
    var extra = parseInt((data.meta && data.meta.extra_words) || "0", 10);
    if (extra > 0) { words = words.slice(0, Math.max(0, words.length - extra)); }
    var hits = words.map(function (word) { return termOf(word, terms); });
    var best = 0, bestScore = 0;
    for (var i = 0; i < words.length; i++) {
      if (hits[i] < 0) { continue; }
      var seen = {};
      for (var j = i; j < Math.min(words.length, i + WINDOW); j++) {
        if (hits[j] >= 0) { seen[hits[j]] = true; }
      }
      var score = Object.keys(seen).length;
      if (score > bestScore) { best = i; bestScore = score; }
    }
    var start = Math.max(0, best - 8);
    var paragraph = element("p", "search-result__excerpt");
    if (start > 0) { paragraph.appendChild(document.createTextNode("… ")); }
    words.slice(start, start + WINDOW).forEach(function (word, index) {
      if (index > 0) { paragraph.appendChild(document.createTextNode(" ")); }
      var marked = hits[start + index] >= 0;
      paragraph.appendChild(marked ? element("mark", "", word) : document.createTextNode(word));
    });
    if (start + WINDOW < words.length) { paragraph.appendChild(document.createTextNode(" …")); }
    return paragraph;
  }

  function renderResult(data) {
    var item = element("li", "search-result");
    var title = element("h2", "search-result__title");
    var link = element("a", "", (data.meta && data.meta.title) || data.url);
    link.href = data.url;
    title.appendChild(link);
    item.appendChild(title);
    var facts = [data.meta && data.meta.date, data.meta && data.meta.category].filter(Boolean);
    if (facts.length) { item.appendChild(element("p", "search-result__meta", facts.join(" · "))); }
    item.appendChild(excerpt(data, current.terms));
    return item;
  }

  function showMore() {
    var batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    var ticket = searchCount;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (all) {
      if (ticket !== searchCount) { return; }
      all.forEach(function (data) { list.appendChild(renderResult(data)); });
      current.shown += batch.length;
      more.hidden = current.shown >= current.results.length;
    });
  }

  function filters() {
    var chosen = {};
    if (category.value) { chosen.category = category.value; }
    if (year.value) { chosen.year = year.value; }
    return chosen;
  }

  function updateAddress(query) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    if (category.value) { params.set("chuyen-muc", category.value); }
    if (year.value) { params.set("nam", year.value); }
    var search = params.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : ""));
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++searchCount;
    updateAddress(query);
    list.textContent = "";
    more.hidden = true;
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    status.textContent = "Đang tìm…";
    current.terms = fold(query).split(/\s+/).map(function (t) {
      return t.replace(/^[^\w]+|[^\w]+$/g, "");
    }).filter(Boolean);
    return pagefind.search(query, { filters: filters() }).then(function (search) {
      if (ticket !== searchCount) { return; }
      current.results = search.results;
      current.shown = 0;
      // The status is announced once the first results are on the page, not before.
      return showMore().then(function () {
        if (ticket !== searchCount) { return; }
        status.textContent = search.results.length
          ? "Tìm thấy " + formatNumber(search.results.length) + " kết quả cho “" + query + "”."
          : "Không tìm thấy kết quả nào cho “" + query + "”. Hãy thử từ khóa ngắn hơn hoặc bỏ bớt bộ lọc.";
      });
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }

  // import() resolves against this script's address, the attribute against the page's.
  import(new URL(form.getAttribute("data-pagefind-url"), document.baseURI).href).then(function (module) {
    pagefind = module;
    return pagefind.init();
  }).then(function () {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    category.value = params.get("chuyen-muc") || "";
    year.value = params.get("nam") || "";
    form.hidden = false;
    var note = document.querySelector("[data-search-noscript]");
    if (note) { note.hidden = true; }
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", schedule);
    category.addEventListener("change", run);
    year.addEventListener("change", run);
    more.addEventListener("click", showMore);
    document.documentElement.setAttribute("data-search-ready", "");
    return run();
  }).catch(function () {
    status.textContent = "Chưa tải được bộ tìm kiếm. Bạn có thể duyệt theo chuyên mục bên dưới.";
  });
})();
