/* Phanthamit search: finds Thai words, which have no spaces between them.

   The index (search/<lang>.json, written by builder/search_index.py) holds every page of one
   language as its token sequence, cut at build time by pythainlp's newmm. Here each page's words
   are joined into one folded string, and a query is found in it as a string, so a word is found
   inside a compound (เกษตร in การเกษตร) and across any cut the segmenter made. Ranking, best first:
     3. the whole query, its words in order (spaces and punctuation between them ignored);
     2. every chunk of the query that the user separated by spaces, anywhere on the page;
     1. every word of the query, after cutting Thai chunks that occur nowhere whole into the
        index's words (maximal matching over its vocabulary, the segmenter's own words) and
        dropping English plural endings;
     0. at least half of those words (by weight), after everything else.
   Within a level: matches in the title, whole words before parts of words, rare words before
   common ones, the words of a phrase close together, and short pages. English words must start
   where a word starts ("rice" is not found in "price"); a query word may be the start of a longer
   word (cooperative → cooperatives).

   The page needs theme/partials/search.html (Material's search markup without Material's search
   plugin). The index is fetched when the box is first used. No eval, no inline code: the site's
   Content-Security-Policy allows scripts and fetches from the site itself only.

   Opened from disk (file://, the offline copy made by builder/offline.py) a page cannot fetch,
   and folders do not open their index.html: there the index is loaded as a script
   (search/<lang>.js, which files it under its language in self.phanthamitSearch) and result
   links to a folder get "index.html". */
(function () {
  "use strict";

  /* --- text rules: the same as builder/search_index.py --------------------------------------- */

  var THAI = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e";
  var RUNS = new RegExp("([" + THAI + "]+)|((?:(?![\u0e00-\u0e7f])[\\p{L}\\p{N}\\p{M}]|[\u0e50-\u0e59])+)", "gu");
  var THAI_RE = new RegExp("[" + THAI + "]");

  function normalise(text) {
    text = text.normalize("NFC");
    if (!/[\u0e00-\u0e7f]/.test(text)) return text;
    return text
      .replace(/\u0e40\u0e40/g, "\u0e41")
      .replace(/\u0e4d([\u0e48-\u0e4c]?)\u0e32/g, "$1\u0e33")
      .replace(/([\u0e48-\u0e4c])([\u0e31\u0e34-\u0e39\u0e47])/g, "$2$1")
      .replace(/([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\1+/g, "$1");
  }

  /* Lower case and ASCII digits, one character for one (offsets stay those of the text). */
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i), code = c.charCodeAt(0);
      if (code >= 0x0e50 && code <= 0x0e59) c = String.fromCharCode(code - 0x0e50 + 48);
      else if (code < 0x0e00 || code > 0x0e7f) {
        var lower = c.toLowerCase();
        if (lower.length === 1) c = lower;
      }
      out += c;
    }
    return out;
  }

  /* The query's chunks: Thai runs and other letter/digit runs; the rest separates them. */
  function chunks(query) {
    var found = [], match;
    RUNS.lastIndex = 0;
    while ((match = RUNS.exec(normalise(query)))) found.push({ text: fold(match[0]), thai: !!match[1] });
    return found;
  }

  /* English words lose a plural ending when the query is cut into words (level 1). */
  function stem(word) {
    if (word.length > 4 && /ies$/.test(word)) return word.slice(0, -3);
    if (word.length > 4 && /(s|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
    if (word.length > 3 && /[^s]s$/.test(word)) return word.slice(0, -1);
    return word;
  }

  /* Token numbers: base 32, the last digit of each from the second alphabet. */
  var MORE = "0123456789abcdefghijklmnopqrstuv", LAST = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";

  function decode(text) {
    var numbers = [], n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i), last = LAST.indexOf(c);
      if (last >= 0) { numbers.push(n * 32 + last); n = 0; } else n = n * 32 + MORE.indexOf(c);
    }
    return numbers;
  }

  /* --- the index ----------------------------------------------------------------------------- */

  function Index(data) {
    var terms = data.terms, folded = terms.map(fold), separator = new Uint8Array(terms.length);
    data.separators.forEach(function (i) { separator[i] = 1; });
    this.terms = terms;
    this.separator = separator;
    this.facets = data.facets || [];
    this.vocabulary = new Set();
    this.longest = 1;
    for (var t = 0; t < terms.length; t++) {
      if (!separator[t] && THAI_RE.test(folded[t])) {
        this.vocabulary.add(folded[t]);
        this.longest = Math.max(this.longest, folded[t].length);
      }
    }
    // Words that are not Thai: between two of them the index leaves out the space.
    var other = folded.map(function (term, t) { return !separator[t] && !THAI_RE.test(term); });
    var space = terms.indexOf(" ");
    var total = 0;
    this.pages = data.pages.map(function (entry) {
      var packed = decode(entry.s), tokens = [], parts = [], starts = [], at = [], offset = 0;
      for (var k = 0; k < packed.length; k++) {
        if (k && other[packed[k - 1]] && other[packed[k]]) tokens.push(space);
        tokens.push(packed[k]);
      }
      for (var i = 0; i < tokens.length; i++) {
        if (separator[tokens[i]]) continue;
        starts.push(offset);
        at.push(i);
        parts.push(folded[tokens[i]]);
        offset += folded[tokens[i]].length;
      }
      starts.push(offset);
      total += at.length;
      var title = chunks(entry.t).map(function (c) { return c.text; }).join("");
      var flat = parts.join("");
      return {
        url: entry.u, title: entry.t, titleFlat: title, tokens: tokens, flat: flat,
        starts: starts, at: at, anchors: entry.a || [], facets: entry.f || [],
        body: flat.indexOf(title) === 0 ? wordAt(starts, title.length) : 0
      };
    });
    this.averageWords = Math.max(1, total / Math.max(1, this.pages.length));
  }

  /* The word (its number among the page's words) that holds character `offset` of the string. */
  function wordAt(starts, offset) {
    var lo = 0, hi = starts.length - 2;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* Cut a Thai chunk into the vocabulary's words: fewest unknown characters, then fewest words.
     Unknown stretches stay pieces of their own (they can still be found inside words). */
  Index.prototype.segment = function (text) {
    var n = text.length, best = [{ unknown: 0, words: 0, from: -1, known: false }];
    for (var i = 1; i <= n; i++) {
      var prev = best[i - 1], choice = { unknown: prev.unknown + 1, words: prev.words + 1, from: i - 1, known: false };
      for (var j = Math.max(0, i - this.longest); j < i; j++) {
        if (!this.vocabulary.has(text.slice(j, i))) continue;
        var b = best[j];
        if (b.unknown < choice.unknown || (b.unknown === choice.unknown && b.words + 1 < choice.words)) {
          choice = { unknown: b.unknown, words: b.words + 1, from: j, known: true };
        }
      }
      best.push(choice);
    }
    var pieces = [], end = n;
    while (end > 0) {
      var step = best[end], start = step.from;
      if (!step.known) {  // merge a run of unknown characters into one piece
        while (start > 0 && !best[start].known) start = best[start].from;
      }
      pieces.unshift(text.slice(start, end));
      end = start;
    }
    return pieces.filter(function (p) { return p.length > 1 || !/^[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]$/.test(p); });
  };

  var COMBINING = /[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]/;  // marks and vowels that follow a consonant
  var LEADING = /[\u0e40-\u0e44]/;

  /* Where `text` occurs in a page's words. `latin`: must start where a word starts. Each match:
     [start offset, end offset, quality] — 1 a whole word (or several), 0.75 the start of a word,
     0.6 its end, 0.35 inside it, 0.15 when it cuts a Thai character cluster. */
  function find(page, text, latin, limit) {
    var found = [], flat = page.flat, starts = page.starts, from = 0;
    while (found.length < (limit || 200)) {
      var a = flat.indexOf(text, from);
      if (a < 0) break;
      from = a + 1;
      var b = a + text.length, wa = wordAt(starts, a), wb = wordAt(starts, b - 1);
      var startAligned = starts[wa] === a, endAligned = starts[wb + 1] === b;
      if (latin && !startAligned) continue;
      var quality = startAligned && endAligned ? 1 : startAligned ? 0.75 : endAligned ? 0.6 : 0.35;
      if (!startAligned && (COMBINING.test(flat.charAt(a)) || LEADING.test(flat.charAt(a - 1)))) quality = 0.15;
      if (!endAligned && (COMBINING.test(flat.charAt(b)) || LEADING.test(flat.charAt(b - 1)))) quality = Math.min(quality, 0.15);
      found.push([a, b, quality]);
    }
    return found;
  }

  /* A phrase: the units one after another; where one ends and the next starts must be a word
     boundary if either is not Thai. */
  function findPhrase(page, units) {
    var text = units.map(function (u) { return u.text; }).join("");
    var hits = find(page, text, !units[0].thai);
    return hits.filter(function (hit) {
      var offset = hit[0];
      for (var i = 1; i < units.length; i++) {
        offset += units[i - 1].text.length;
        if ((!units[i - 1].thai || !units[i].thai) && page.starts[wordAt(page.starts, offset)] !== offset) return false;
      }
      return true;
    });
  }

  /* Smallest stretch of words holding a match of every unit: [first word, last word, hits used]. */
  function closest(page, lists) {
    var events = [];
    lists.forEach(function (hits, unit) {
      hits.forEach(function (hit) { events.push([wordAt(page.starts, hit[0]), unit, hit]); });
    });
    events.sort(function (x, y) { return x[0] - y[0]; });
    var count = new Array(lists.length).fill(0), have = 0, left = 0, best = null;
    for (var right = 0; right < events.length; right++) {
      if (count[events[right][1]]++ === 0) have++;
      while (have === lists.length) {
        var span = events[right][0] - events[left][0];
        if (!best || span < best[1] - best[0]) best = [events[left][0], events[right][0], events.slice(left, right + 1)];
        if (--count[events[left][1]] === 0) have--;
        left++;
      }
    }
    return best;
  }

  Index.prototype.search = function (query, filters) {
    var self = this, pages = this.pages.filter(function (page) {
      return filters.every(function (f) { return page.facets.indexOf(f) >= 0; });
    });
    var units = chunks(query);
    if (!units.length) {
      return filters.length ? pages.map(function (page) { return { page: page, score: 0, hits: [] }; }) : [];
    }
    var anywhere = function (text) { return self.pages.some(function (p) { return p.flat.indexOf(text) >= 0; }); };
    var words = [];
    units.forEach(function (unit) {
      if (!unit.thai) words.push({ text: stem(unit.text), thai: false });
      else if (anywhere(unit.text)) words.push(unit);
      else self.segment(unit.text).forEach(function (w) { words.push({ text: w, thai: true }); });
    });
    var sameWords = words.length === units.length && words.every(function (w, i) { return w.text === units[i].text; });
    var n = this.pages.length;

    // Matches of every unit and word on every page, and how rare each is (idf).
    function matches(list) {
      var perPage = pages.map(function (page) {
        return list.map(function (u) { return find(page, u.text, !u.thai); });
      });
      var weights = list.map(function (u, i) {
        var df = perPage.filter(function (hits) { return hits[i].length; }).length;
        return Math.log(1 + n / (1 + df));
      });
      return { perPage: perPage, weights: weights };
    }
    var byUnit = matches(units), byWord = sameWords ? byUnit : matches(words);
    var results = [];
    pages.forEach(function (page, p) {
      var level = -1, lists, weights, list = units;
      var unitHits = byUnit.perPage[p];
      if (unitHits.every(function (h) { return h.length; })) {
        var phrase = units.length > 1 ? findPhrase(page, units) : unitHits[0];
        if (phrase.length) {
          level = 3;
          lists = [phrase];
          weights = [byUnit.weights.reduce(function (a, b) { return a + b; }, 0)];
          list = [{ text: units.map(function (u) { return u.text; }).join("") }];
        } else {
          level = 2; lists = unitHits; weights = byUnit.weights;
        }
      } else {
        var wordHits = byWord.perPage[p], have = 0, all = 0;
        wordHits.forEach(function (h, i) { all += byWord.weights[i]; if (h.length) have += byWord.weights[i]; });
        if (wordHits.every(function (h) { return h.length; })) level = 1;
        else if (words.length > 1 && have >= all / 2) level = 0;
        if (level < 0) return;
        list = [];
        lists = [];
        weights = [];
        wordHits.forEach(function (h, i) {
          if (h.length) { lists.push(h); weights.push(byWord.weights[i]); list.push(words[i]); }
        });
      }
      var score = 0, length = 0.25 + 0.75 * page.at.length / self.averageWords;
      lists.forEach(function (hits, i) {
        var best = 0, sum = 0;
        hits.forEach(function (hit) { best = Math.max(best, hit[2]); sum += hit[2]; });
        var tf = sum * 2.2 / (sum + 1.2 * length);
        var inTitle = page.titleFlat.indexOf(list[i].text) >= 0 ? 2 : 0;
        score += weights[i] * (best + tf + inTitle);
      });
      var near = lists.length > 1 ? closest(page, lists) : null;
      if (near) score += weights.reduce(function (a, b) { return a + b; }, 0) / (1 + Math.max(0, near[1] - near[0] - lists.length + 1));
      results.push({ page: page, level: level, score: score, hits: lists, near: near });
    });
    results.sort(function (x, y) { return y.level - x.level || y.score - x.score || (x.page.url < y.page.url ? -1 : 1); });
    return results;
  };

  /* The text around the best match, as pieces [text, marked], and the heading it is under. */
  Index.prototype.snippet = function (result, before, after) {
    var page = result.page, self = this;
    var all = [];
    result.hits.forEach(function (hits) { all = all.concat(hits); });
    if (!all.length) return { pieces: [[this.text(page, page.at[page.body] || 0, after), false]], anchor: null };
    var center;
    if (result.near) {
      center = result.near[2][0][2];
    } else {
      var inBody = all.filter(function (hit) { return wordAt(page.starts, hit[0]) >= page.body; });
      var pool = inBody.length ? inBody : all;
      center = pool.reduce(function (a, b) { return b[2] > a[2] ? b : a; });
    }
    var word = wordAt(page.starts, center[0]), token = page.at[word];
    // Tokens around the match: back to a separator about `before` characters away, then on.
    var first = token, size = 0;
    while (first > 0 && size < before) { first--; size += this.terms[page.tokens[first]].length; }
    while (first > 0 && first < token && !this.separator[page.tokens[first]]) first++;
    if (first > 0 && first < token) first++;  // start after the separator
    var last = token, length = 0;
    while (last < page.tokens.length - 1 && length < before + after) { last++; length += this.terms[page.tokens[last]].length; }
    // Marked character ranges, in the folded string of words.
    var marks = all.filter(function (hit) {
      var w = wordAt(page.starts, hit[0]);
      return page.at[w] >= first && page.at[w] <= last;
    });
    var pieces = [], wordNumber = 0;  // the number of the first word at or after token `first`
    while (wordNumber < page.at.length && page.at[wordNumber] < first) wordNumber++;
    if (first > 0) pieces.push(["… ", false]);
    for (var t = first; t <= last; t++) {
      var shown = this.terms[page.tokens[t]];
      if (this.separator[page.tokens[t]]) { pieces.push([shown, false]); continue; }
      var start = page.starts[wordNumber], end = page.starts[wordNumber + 1], cut = [0, shown.length];
      marks.forEach(function (hit) {
        if (hit[0] < end && hit[1] > start) cut.push(Math.max(0, hit[0] - start), Math.min(shown.length, hit[1] - start));
      });
      cut.sort(function (x, y) { return x - y; });
      for (var k = 0; k + 1 < cut.length; k++) {
        if (cut[k + 1] <= cut[k]) continue;
        var a = cut[k], b = cut[k + 1];
        var marked = marks.some(function (hit) { return hit[0] - start <= a && hit[1] - start >= b; });
        pieces.push([shown.slice(a, b), marked]);
      }
      wordNumber++;
    }
    if (last < page.tokens.length - 1) pieces.push([" …", false]);
    // One <mark> for a match cut into several words; no space after the leading "…".
    pieces = pieces.reduce(function (out, piece) {
      var prev = out[out.length - 1];
      if (prev && prev[1] === piece[1]) prev[0] += piece[0]; else out.push(piece.slice());
      return out;
    }, []);
    if (first > 0 && pieces.length > 1 && !pieces[1][1]) pieces[1][0] = pieces[1][0].replace(/^\s+/, "");
    var anchor = null;
    page.anchors.forEach(function (a) { if (a[0] <= token) anchor = a; });
    return { pieces: pieces, anchor: anchor && { id: anchor[2], text: self.text(page, anchor[0], 0, anchor[1]) } };
  };

  /* Plain text of a page from token `from`: `count` tokens, or about `chars` characters. */
  Index.prototype.text = function (page, from, chars, count) {
    var out = "", end = count ? from + count : page.tokens.length;
    for (var t = from; t < end && (count || out.length < chars); t++) out += this.terms[page.tokens[t]];
    return out.trim();
  };

  /* --- the search box ------------------------------------------------------------------------ */

  var SCRIPT = typeof document === "object" ? document.currentScript : null;
  var OFFLINE = typeof location === "object" && location.protocol === "file:";

  function setup(dialog) {
    var root = new URL("../../", SCRIPT ? SCRIPT.src : document.baseURI);
    var lang = (document.documentElement.getAttribute("lang") || "th").split("-")[0];
    var toggle = document.getElementById("__search");
    var form = dialog.querySelector("form");
    var input = dialog.querySelector("input[type=search]");
    var results = dialog.querySelector("[data-search-results]");
    var meta = results.querySelector(".md-search-result__meta");
    var list = results.querySelector(".md-search-result__list");
    var facetBox = dialog.querySelector("[data-search-facets]");
    var selects = [];
    var index = null, loading = null, timer = 0, shown = "";
    var SHOW = 30;

    function open(state) {
      if (toggle && toggle.checked !== state) toggle.click();
    }

    function fetchIndex() {
      return fetch(new URL("search/" + lang + ".json", root)).then(function (response) {
        if (!response.ok) throw new Error("search index: HTTP " + response.status);
        return response.json();
      });
    }

    function scriptIndex() {
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("search/" + lang + ".js", root).href;
        script.onload = function () {
          var data = self.phanthamitSearch && self.phanthamitSearch[lang];
          if (data) resolve(data); else reject(new Error("search index: " + script.src));
        };
        script.onerror = function () { reject(new Error("search index: " + script.src)); };
        document.head.appendChild(script);
      });
    }

    function load() {
      if (!loading) {
        meta.textContent = results.getAttribute("data-initializer");
        loading = (OFFLINE ? scriptIndex() : fetchIndex())
          .then(function (data) {
            index = new Index(data);
            facets(index.facets);
            run();
          })
          .catch(function (error) {
            meta.textContent = String(error.message || error);
            loading = null;
          });
      }
      return loading;
    }

    function facets(list) {
      facetBox.textContent = "";
      list.forEach(function (facet) {
        var label = document.createElement("label"), select = document.createElement("select");
        select.setAttribute("data-facet", facet.name);
        select.add(new Option(facet.all, ""));
        facet.values.forEach(function (v) { select.add(new Option(v[1], facet.name + ":" + v[0])); });
        select.addEventListener("change", function () { shown = null; run(); });
        label.appendChild(document.createTextNode(facet.label + " "));
        label.appendChild(select);
        facetBox.appendChild(label);
        selects.push(select);
      });
      facetBox.hidden = !list.length;
    }

    function message(count) {
      if (!count) return results.getAttribute("data-none");
      if (count === 1) return results.getAttribute("data-one");
      return results.getAttribute("data-other").replace("#", count);
    }

    function run() {
      if (!index) return;
      var query = input.value;
      var filters = selects.map(function (s) { return s.value; }).filter(Boolean);
      var key = query + "\n" + filters.join(" ");
      if (key === shown) return;
      shown = key;
      var found = index.search(query, filters);
      list.textContent = "";
      if (!query.trim() && !filters.length) {
        meta.textContent = results.getAttribute("data-placeholder");
      } else {
        meta.textContent = message(found.length);
        found.slice(0, SHOW).forEach(function (result) { list.appendChild(item(result)); });
      }
      results.setAttribute("data-search-query", query);
    }

    function item(result) {
      var snippet = index.snippet(result, 40, 160);
      var li = document.createElement("li"), a = document.createElement("a");
      var article = document.createElement("article"), icon = document.createElement("div");
      var h1 = document.createElement("h1"), p = document.createElement("p");
      li.className = "md-search-result__item";
      a.className = "md-search-result__link";
      a.tabIndex = -1;
      var url = OFFLINE && /(^|\/)$/.test(result.page.url) ? result.page.url + "index.html" : result.page.url;
      a.href = new URL(url + (snippet.anchor ? "#" + snippet.anchor.id : ""), root).href;
      article.className = "md-search-result__article md-search-result__article--document md-typeset";
      icon.className = "md-search-result__icon md-icon";
      h1.textContent = result.page.title;
      article.appendChild(icon);
      article.appendChild(h1);
      if (snippet.anchor && snippet.anchor.text) {
        var h2 = document.createElement("h2");
        h2.textContent = snippet.anchor.text;
        article.appendChild(h2);
      }
      snippet.pieces.forEach(function (piece) {
        if (piece[1]) {
          var mark = document.createElement("mark");
          mark.textContent = piece[0];
          p.appendChild(mark);
        } else {
          p.appendChild(document.createTextNode(piece[0]));
        }
      });
      article.appendChild(p);
      a.appendChild(article);
      li.appendChild(a);
      return li;
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a[href]"));
    }

    function schedule() {
      load();
      clearTimeout(timer);
      timer = setTimeout(run, 40);
    }

    // Typing: `input` covers every way text arrives (keys, IME, paste, Playwright's insertText).
    input.addEventListener("input", schedule);
    // Open on focus, after the click that focused it has done its own toggling (a label).
    input.addEventListener("focus", function () { load(); setTimeout(function () { open(true); }, 0); });
    // Fetch the index as soon as the box is about to be used.
    form.addEventListener("pointerenter", load);
    input.addEventListener("pointerdown", load);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var first = links()[0];
      if (first) first.click();
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { shown = ""; run(); input.focus(); }, 0);
    });
    dialog.addEventListener("click", function (event) {
      if (event.target instanceof Element && event.target.closest("a[href]")) open(false);
    });
    // Tabbing out of the search closes it.
    dialog.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !dialog.contains(event.relatedTarget)) open(false);
    });
    // The header's search button: focus the box in the same click (phones open the keyboard then).
    Array.prototype.forEach.call(document.querySelectorAll("header label[for=__search]"), function (label) {
      if (dialog.contains(label)) return;
      label.addEventListener("pointerenter", load);
      label.addEventListener("click", function () { load(); input.focus(); });
    });

    document.addEventListener("keydown", function (event) {
      if (event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
      var active = document.activeElement, searching = toggle ? toggle.checked : dialog.contains(active);
      if (!searching) {
        var typing = active && (/^(input|textarea|select)$/i.test(active.tagName) || active.isContentEditable);
        if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
          event.preventDefault();
          input.focus();
          input.select();
        }
        return;
      }
      var items = [input].concat(links());
      switch (event.key) {
        case "Escape":
          open(false);
          input.blur();
          break;
        case "ArrowDown":
        case "ArrowUp":
          if (active && active.tagName === "SELECT") return;
          var i = Math.max(0, items.indexOf(active));
          items[(i + items.length + (event.key === "ArrowUp" ? -1 : 1)) % items.length].focus();
          event.preventDefault();
          break;
        case "Enter":
          if (active === input) {
            event.preventDefault();
            var first = links()[0];
            if (first) first.click();
          }
          break;
        default:
          // A printable key on a result goes to the box.
          if (event.key.length === 1 && active && active !== input && list.contains(active)) input.focus();
      }
    });

    // ?q=… opens the search with that query, as with Material's own search.
    var q = new URLSearchParams(location.search).get("q");
    if (q) {
      input.value = q;
      open(true);
      input.focus();
      schedule();
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { Index: Index, normalise: normalise, fold: fold, chunks: chunks, decode: decode };
    return;
  }
  function init() {
    var dialog = document.querySelector("[data-site-search]");
    if (dialog) setup(dialog);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
