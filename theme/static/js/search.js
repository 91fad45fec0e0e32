// Search at /tim-kiem/ over the portal's own index (chi-muc/, cityportal/search/compact.py),
// ranked as cityportal/search/engine.py ranks. Without JavaScript the same form is sent to
// the search service (cityportal/search/service.py), which reads the same files.
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
  var indexUrl = new URL(form.getAttribute("data-index-url"), document.baseURI).href;
  var siteRoot = new URL("../", indexUrl).href;
  var current = { results: [], shown: 0, terms: [], pattern: null };
  var searchCount = 0;
  var timer = null;

  // Keys and ranking of cityportal/search/compact.py and engine.py, in the browser.
  var TONES = { "\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5" };
  var BREAK = /[.,;:!?…]+(?=\s|$)|[()\[\]{}"“”«»|\n\r\t–—]|\s-\s/;
  var WORD = /[\p{L}\p{N}_\p{M}]+/gu;
  var QUOTED = /["“”]([^"“”]*)["“”]/g;
  var SATURATION = 3, EXACT_BOOST = 1.5, PAIR_BOOST = 3, EXACT_PAIR_BOOST = 3;

  function fold(text) {
    return text.normalize("NFC").toLowerCase().replace(/đ/g, "d")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
  }

  function exactKey(word) {
    var tone = "", letters = "";
    var chars = word.toLowerCase().normalize("NFD");
    for (var i = 0; i < chars.length; i++) {
      if (TONES[chars[i]]) { tone = TONES[chars[i]]; } else { letters += chars[i]; }
    }
    return letters.normalize("NFC") + tone;
  }

  // folding._TOKEN, \w+(?:[./-]\w+)*, as runs of word characters joined by one of "./-":
  // one Unicode character class compiles in a fraction of the time of that pattern.
  function tokens(piece) {
    var words = [], end = -2, match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(piece))) {
      if (match.index === end + 1 && "./-".indexOf(piece.charAt(end)) >= 0) {
        words[words.length - 1] += piece.charAt(end) + match[0];
      } else {
        words.push(match[0]);
      }
      end = match.index + match[0].length;
    }
    return words;
  }

  function runs(text) {
    var found = [];
    text.normalize("NFC").toLowerCase().split(BREAK).forEach(function (piece) {
      var words = tokens(piece || "");
      if (words.length) { found.push(words); }
    });
    return found;
  }

  function hasMarks(text) {
    return fold(text) !== text.normalize("NFC").toLowerCase();
  }

  function parse(text) {
    text = text.normalize("NFC").trim();
    var phrases = [], words = [], pairs = [], match;
    QUOTED.lastIndex = 0;
    while ((match = QUOTED.exec(text))) { phrases = phrases.concat(runs(match[1])); }
    runs(text).forEach(function (run) {
      run.forEach(function (word, i) {
        if (words.indexOf(word) < 0) { words.push(word); }
        if (i > 0) { pairs.push([run[i - 1], word]); }
      });
    });
    return { words: words, pairs: pairs, phrases: phrases, marked: hasMarks(text) };
  }

  function wordKeys(word) { return [fold(word), "=" + exactKey(word)]; }
  function pairKeys(a, b) { return [fold(a) + " " + fold(b), "=" + exactKey(a) + " " + exactKey(b)]; }

  var encoder = new TextEncoder();

  // folding.base_key: an exact key goes with its folded key ("=thanh2 phô1", "thanh pho").
  function baseKey(key) {
    return key.charAt(0) === "=" ? fold(key.slice(1)).replace(/([^0-9])[1-5](?= |$)/g, "$1") : key;
  }

  // compact.shard_of: a key and its exact forms are in one shard.
  function shardOf(key, shards) {
    var bytes = encoder.encode(baseKey(key)), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0; }
    return hash & (shards - 1);
  }

  var index = { meta: null, shards: {} };

  function loadShard(number) {
    if (!index.shards[number]) {
      index.shards[number] = fetch(indexUrl + "s/" + number + ".bin").then(function (response) {
        if (!response.ok) { throw new Error("shard " + number); }
        return response.arrayBuffer();
      }).then(function (buffer) { return new Uint8Array(buffer); });
    }
    return index.shards[number];
  }

  // Postings of one key: its pages in increasing order and each one's field-weighted count.
  var NONE = { pages: new Int32Array(0), counts: new Uint8Array(0) };

  // The postings of the wanted keys ([key, UTF-8 bytes] pairs) found in one shard. Keys
  // are compared as bytes; any other record is stepped over by its lengths.
  function readShard(data, wanted, found) {
    var at = 0;
    function varint() {
      var number = 0, shift = 0, byte;
      do { byte = data[at++]; number += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
      return number;
    }
    while (at < data.length) {
      var length = varint(), key = null;
      for (var w = 0; w < wanted.length && key === null; w++) {
        var bytes = wanted[w][1];
        if (bytes.length !== length) { continue; }
        var same = true;
        for (var b = 0; b < length && same; b++) { same = data[at + b] === bytes[b]; }
        if (same) { key = wanted[w][0]; }
      }
      at += length;
      var count = varint(), size = varint();
      if (key === null) { at += size + count; continue; }
      var pages = new Int32Array(count), page = 0;
      for (var i = 0; i < count; i++) {
        var gap = data[at++];  // nearly every gap fits in one byte
        if (gap & 0x80) { at--; gap = varint(); }
        page += gap;
        pages[i] = page;
      }
      found[key] = { pages: pages, counts: data.subarray(at, at + count) };
      at += count;
    }
  }

  function lookup(keys) {
    var byShard = {}, seen = {};
    keys.forEach(function (key) {
      if (seen[key]) { return; }
      seen[key] = true;
      var number = shardOf(key, index.meta.shards);
      (byShard[number] = byShard[number] || []).push([key, encoder.encode(key)]);
    });
    var found = {};
    return Promise.all(Object.keys(byShard).map(function (number) {
      return loadShard(number).then(function (data) { readShard(data, byShard[number], found); });
    })).then(function () { return found; });
  }

  // The first position from `at` in the increasing `pages` whose page is at least
  // `page`: steps that double, then halving, so a short list walks a long one in
  // a few steps per page.
  function seek(pages, at, page) {
    var step = 1, end = at;
    while (end < pages.length && pages[end] < page) { at = end + 1; end += step; step *= 2; }
    end = Math.min(end, pages.length);
    while (at < end) {
      var middle = (at + end) >> 1;
      if (pages[middle] < page) { at = middle + 1; } else { end = middle; }
    }
    return at;
  }

  // The pages of `candidates` (increasing) that `postings` holds.
  function intersect(candidates, postings) {
    var pages = postings.pages, kept = new Int32Array(Math.min(candidates.length, pages.length));
    var n = 0, j = 0;
    for (var i = 0; i < candidates.length && j < pages.length; i++) {
      j = seek(pages, j, candidates[i]);
      if (pages[j] === candidates[i]) { kept[n++] = candidates[i]; }
    }
    return kept.subarray(0, n);
  }

  function keep(candidates, test) {
    var kept = new Int32Array(candidates.length), n = 0;
    for (var i = 0; i < candidates.length; i++) { if (test(candidates[i])) { kept[n++] = candidates[i]; } }
    return kept.subarray(0, n);
  }

  // The results (see ranking) in the order of engine.rank.
  function rank(query, chosen) {
    if (!query.words.length) { return Promise.resolve([]); }
    var keys = [];
    query.words.forEach(function (word) {
      var k = wordKeys(word); keys.push(k[0]); if (query.marked) { keys.push(k[1]); }
    });
    query.pairs.forEach(function (pair) {
      var k = pairKeys(pair[0], pair[1]); keys.push(k[0]); if (query.marked) { keys.push(k[1]); }
    });
    query.phrases.forEach(function (phrase) {
      for (var i = 1; i < phrase.length; i++) { keys = keys.concat(pairKeys(phrase[i - 1], phrase[i])); }
      if (phrase.length === 1) { keys.push(wordKeys(phrase[0])[1]); }
    });
    return lookup(keys).then(function (found) {
      var meta = index.meta;
      function get(key) { return found[key] || NONE; }
      // The rarest word's pages first: every later step then seeks in a longer list.
      var candidates = null;
      query.words.map(function (word) { return get(fold(word)); }).sort(function (a, b) {
        return a.pages.length - b.pages.length;
      }).forEach(function (postings) {
        candidates = candidates === null ? postings.pages : intersect(candidates, postings);
      });
      query.phrases.forEach(function (phrase) {
        var marked = hasMarks(phrase.join(" "));
        for (var i = 1; i < phrase.length; i++) {
          candidates = intersect(candidates, get(pairKeys(phrase[i - 1], phrase[i])[marked ? 1 : 0]));
        }
        if (phrase.length === 1 && marked) {
          candidates = intersect(candidates, get(wordKeys(phrase[0])[1]));
        }
      });
      if (chosen.category) {
        var wanted = meta.categories.indexOf(chosen.category);
        candidates = keep(candidates, function (page) { return meta.category[page] === wanted; });
      }
      if (chosen.year) {
        candidates = keep(candidates, function (page) { return String(meta.year[page]) === chosen.year; });
      }
      var parts = [];
      query.words.forEach(function (word) {
        var k = wordKeys(word);
        parts.push([get(k[0]), 1]);
        if (query.marked) { parts.push([get(k[1]), EXACT_BOOST]); }
      });
      query.pairs.forEach(function (pair) {
        var k = pairKeys(pair[0], pair[1]);
        parts.push([get(k[0]), PAIR_BOOST]);
        if (query.marked) { parts.push([get(k[1]), EXACT_PAIR_BOOST]); }
      });
      // Each key adds its share to the score of every candidate it holds, found by
      // seeking through its postings.
      var scores = new Float64Array(candidates.length);
      parts.forEach(function (part) {
        var pages = part[0].pages, counts = part[0].counts;
        if (!pages.length) { return; }
        var weight = part[1] * Math.log(1 + meta.pages / pages.length);
        for (var i = 0, j = 0; i < candidates.length && j < pages.length; i++) {
          j = seek(pages, j, candidates[i]);
          if (pages[j] === candidates[i]) { scores[i] += weight * (counts[j] / (counts[j] + SATURATION)); }
        }
      });
      return ranking(candidates, scores);
    });
  }

  // The results in rank order, as far as they are shown: the first page takes its best
  // PAGE_SIZE in one pass over the candidates; the full sort waits for "more".
  function ranking(candidates, scores) {
    function before(a, b) { return (scores[b] - scores[a]) || (candidates[a] - candidates[b]); }
    var sorted = null;
    // Candidates come in page order, so a later one goes before an earlier one only with
    // a higher score.
    function best() {
      var top = [];
      for (var i = 0; i < candidates.length; i++) {
        if (top.length === PAGE_SIZE && scores[i] <= scores[top[PAGE_SIZE - 1]]) { continue; }
        var at = Math.min(top.length, PAGE_SIZE - 1);
        while (at > 0 && scores[i] > scores[top[at - 1]]) { top[at] = top[at - 1]; at--; }
        top[at] = i;
      }
      return top;
    }
    return {
      length: candidates.length,
      slice: function (from, to) {
        if (!sorted && to > PAGE_SIZE) { sorted = Array.from(candidates.keys()).sort(before); }
        return (sorted || best()).slice(from, to).map(function (i) { return candidates[i]; });
      }
    };
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

  // Punctuation at either end of a word, in a text of words joined by single spaces.
  var EDGES = /(^| )[^\w ]+|[^\w ]+(?= |$)/g;

  // The query terms in a folded text of words joined by single spaces, punctuation
  // stripped. A word is the first term it equals or starts with followed by "/"; the last
  // term may also be a prefix, as the reader may still be typing it. Group n is term n.
  function termPattern(terms) {
    return new RegExp("(?<=^| )(?:" + terms.map(function (term, i) {
      return "(" + term.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&") + ")" +
        (i === terms.length - 1 ? "" : "(?= |$|/)");
    }).join("|") + ")", "g");
  }

  // An excerpt from the article's own text: the window holding the most different query
  // words, with those words marked. Built with DOM nodes, never innerHTML.
  function excerpt(data, terms, pattern) {
    var text = data.x.trim(), words = text ? text.split(/\s+/) : [];
    // Folding never joins or splits words, so the text is folded once, not word by word,
    // and one regular expression finds the terms: [word number, term] of each.
    var folded = fold(words.join(" ")).replace(EDGES, "$1");
    var hits = [], marked = {}, word = 0, from = 0, match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(folded))) {
      word += folded.slice(from, match.index).split(" ").length - 1;
      from = match.index;
      var term = 0;
      while (match[term + 1] === undefined) { term++; }
      hits.push([word, term]);
      marked[word] = true;
    }
    // Each hit starts a window of WINDOW words; keep the first with the most terms.
    var inside = terms.map(function () { return 0; }), distinct = 0, best = 0, bestScore = 0;
    for (var first = 0, next = 0; first < hits.length; first++) {
      for (; next < hits.length && hits[next][0] < hits[first][0] + WINDOW; next++) {
        if (inside[hits[next][1]]++ === 0) { distinct++; }
      }
      if (distinct > bestScore) { best = hits[first][0]; bestScore = distinct; }
      if (--inside[hits[first][1]] === 0) { distinct--; }
    }
    var start = Math.max(0, best - 8), end = Math.min(words.length, start + WINDOW);
    var paragraph = element("p", "search-result__excerpt"), plain = start > 0 ? "… " : "";
    for (var j = start; j < end; j++) {
      if (!marked[j]) { plain += words[j] + (j + 1 < end ? " " : ""); continue; }
      if (plain) { paragraph.appendChild(document.createTextNode(plain)); }
      paragraph.appendChild(element("mark", "", words[j]));
      plain = j + 1 < end ? " " : "";
    }
    plain += end < words.length ? " …" : "";
    if (plain) { paragraph.appendChild(document.createTextNode(plain)); }
    return paragraph;
  }

  function renderResult(data) {
    var item = element("li", "search-result");
    var title = element("h2", "search-result__title");
    var link = element("a", "", data.t || data.u);
    link.setAttribute("href", new URL(data.u.replace(/^\//, ""), siteRoot).pathname);
    title.appendChild(link);
    item.appendChild(title);
    if (data.d || data.c) {
      var facts = element("p", "search-result__meta");
      if (data.d) { facts.appendChild(element("span", "search-result__date", data.d)); }
      if (data.d && data.c) { facts.appendChild(document.createTextNode(" · ")); }
      if (data.c) { facts.appendChild(element("span", "search-result__category", data.c)); }
      item.appendChild(facts);
    }
    item.appendChild(excerpt(data, current.terms, current.pattern));
    return item;
  }

  function showMore() {
    var batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    var ticket = searchCount;
    return Promise.all(batch.map(function (page) {
      return fetch(indexUrl + "d/" + page + ".json").then(function (response) { return response.json(); });
    })).then(function (all) {
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
    var search = params.toString(), address = location.pathname + (search ? "?" + search : "");
    // Replacing the entry costs the browser real work: only when the address changes.
    if (address !== location.pathname + location.search) { history.replaceState(null, "", address); }
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++searchCount;
    updateAddress(query);
    list.textContent = "";
    more.hidden = true;
    if (!query) { status.textContent = ""; return Promise.resolve(); }
    status.textContent = "Đang tìm…";
    var started = performance.now();
    current.terms = fold(query).split(/\s+/).map(function (t) {
      return t.replace(/^[^\w]+|[^\w]+$/g, "");
    }).filter(Boolean);
    current.pattern = termPattern(current.terms);
    return rank(parse(query), filters()).then(function (pages) {
      if (ticket !== searchCount) { return; }
      current.results = pages;
      current.shown = 0;
      // The status is announced once the first results are on the page, not before.
      return showMore().then(function () {
        if (ticket !== searchCount) { return; }
        // Time from the query to its first results on the page (read by invoke bench-search).
        status.setAttribute("data-search-ms", String(Math.round(performance.now() - started)));
        status.textContent = pages.length
          ? "Tìm thấy " + formatNumber(pages.length) + " kết quả cho “" + query + "”."
          : "Không tìm thấy kết quả nào cho “" + query + "”. Hãy thử từ khóa ngắn hơn hoặc bỏ bớt bộ lọc.";
      });
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }

  // import() resolves against this script's address, the attribute against the page's.
  fetch(indexUrl + "meta.json").then(function (response) {
    if (!response.ok) { throw new Error("meta.json"); }
    return response.json();
  }).then(function (meta) {
    index.meta = meta;
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    category.value = params.get("chuyen-muc") || "";
    year.value = params.get("nam") || "";
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
