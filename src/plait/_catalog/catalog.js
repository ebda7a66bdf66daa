
/* plait catalog: list, search, filters, node details, lineage graph, tag tracing.
   Every text taken from the data goes through textContent or setAttribute, never through
   an HTML parser. */
(function () {
  "use strict";
  var T0 = performance.now();
  var DATA = JSON.parse(document.getElementById("plait-catalog-data").textContent);
  var NODES = DATA.nodes, N = NODES.length;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var NODE_W = 188, NODE_H = 26, GAP_X = 64, GAP_Y = 10, PAD = 14, MAX_PER_LAYER = 30;
  var MAX_LABEL = 24, MIN_SCALE = 0.7;
  var $ = function (id) { return document.getElementById(id); };
  var state = { selected: -1, sources: null, hits: null, lastFilterMs: 0 };
  var items = new Array(N), haystacks = new Array(N), shown = new Uint8Array(N);
  var byName = new Map();
  var tagChoices = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG_NS, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function tagValues(v) { return Array.isArray(v) ? v : [v]; }
  function where(n) { return n.file ? n.file + (n.line ? ":" + n.line : "") : null; }

  /* ---- list and filters ------------------------------------------------------------ */
  function buildList() {
    var list = $("node-list"), frag = document.createDocumentFragment();
    for (var i = 0; i < N; i++) {
      var n = NODES[i], li = el("li");
      li.dataset.idx = i;
      li.tabIndex = 0;
      li.appendChild(el("span", "nm", n.name));
      if (n.kind !== "function") li.appendChild(el("span", "badge", n.kind));
      li.appendChild(el("span", "ty", n.type));
      li.title = n.name;
      frag.appendChild(li);
      items[i] = li;
      haystacks[i] = (n.name + "\n" + n.doc).toLowerCase();
      shown[i] = 1;
      byName.set(n.name, i);
    }
    list.appendChild(frag);
    list.addEventListener("click", function (ev) {
      var li = ev.target.closest("li");
      if (li) select(+li.dataset.idx);
    });
    list.addEventListener("keydown", function (ev) {
      var li = ev.target.closest("li");
      if (li && ev.key === "Enter") select(+li.dataset.idx);
    });
  }

  function buildFilters() {
    var tagSel = $("tag-filter"), modSel = $("module-filter");
    Object.keys(DATA.tags).forEach(function (key) {
      if (key === "module") return;  /* modules have their own filter */
      DATA.tags[key].forEach(function (value) {
        var opt = el("option", null, key + "=" + value);
        opt.value = String(tagChoices.length);
        tagChoices.push([key, value]);
        tagSel.appendChild(opt);
      });
    });
    DATA.modules.forEach(function (m) {
      var opt = el("option", null, m);
      opt.value = m;
      modSel.appendChild(opt);
    });
  }

  function hasTag(n, key, value) {
    if (!Object.prototype.hasOwnProperty.call(n.tags, key)) return false;
    if (value === null) return true;
    var want = value.toLowerCase();
    return tagValues(n.tags[key]).some(function (v) { return v.toLowerCase() === want; });
  }

  function applyFilters() {
    var t = performance.now();
    var tokens = $("search").value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var tagIdx = $("tag-filter").value, tag = tagIdx === "" ? null : tagChoices[+tagIdx];
    var mod = $("module-filter").value;
    var onlyHits = $("taint-only").checked && state.hits !== null;
    var count = 0;
    for (var i = 0; i < N; i++) {
      var n = NODES[i], ok = true, hay = haystacks[i];
      for (var k = 0; ok && k < tokens.length; k++) ok = hay.indexOf(tokens[k]) >= 0;
      if (ok && tag) ok = hasTag(n, tag[0], tag[1]);
      if (ok && mod) ok = n.module === mod;
      if (ok && onlyHits) ok = state.hits.has(i) || state.sources.has(i);
      if (ok) count++;
      if (shown[i] !== (ok ? 1 : 0)) { shown[i] = ok ? 1 : 0; items[i].hidden = !ok; }
    }
    $("count").textContent = count === N ? N + " nodes" : count + " of " + N + " nodes";
    state.lastFilterMs = performance.now() - t;
  }

  /* ---- details -------------------------------------------------------------------- */
  function link(i) {
    var a = el("a", null, NODES[i].name);
    a.href = "#" + encodeURIComponent(NODES[i].name);
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(i); });
    return a;
  }

  function fillList(ul, indices) {
    clear(ul);
    if (!indices.length) { ul.appendChild(el("li", "muted", "none")); return; }
    indices.forEach(function (i) { var li = el("li"); li.appendChild(link(i)); ul.appendChild(li); });
  }

  function reach(start, key) {
    var seen = new Set([start]), stack = [start];
    while (stack.length) {
      var next = NODES[stack.pop()][key];
      for (var k = 0; k < next.length; k++) {
        if (!seen.has(next[k])) { seen.add(next[k]); stack.push(next[k]); }
      }
    }
    seen.delete(start);
    return seen;
  }

  function showMeta(n) {
    var dl = $("d-meta");
    clear(dl);
    var ext = n.kind === "input" || n.kind === "config";
    var rows = [["type", n.type], ["kind", n.kind], ["module", n.module || "\u2014"],
      [ext ? "first needed at" : "defined at", where(n) || "unknown"]];
    if (n.function) rows.push([ext ? "by function" : "function", n.function]);
    rows.forEach(function (r) { dl.appendChild(el("dt", null, r[0])); dl.appendChild(el("dd", null, r[1])); });
    var tags = $("d-tags");
    clear(tags);
    Object.keys(n.tags).forEach(function (key) {
      tagValues(n.tags[key]).forEach(function (v) {
        var chip = el("span", "chip", key + "=" + v);
        chip.title = "Trace the nodes that depend on " + key + "=" + v;
        chip.addEventListener("click", function () { $("taint-query").value = key + "=" + v; runTaint(); });
        tags.appendChild(chip);
      });
    });
    var doc = $("d-doc");
    doc.textContent = n.doc || "No docstring.";
    doc.className = n.doc ? "doc" : "doc none";
  }

  function select(i, keepHash) {
    if (i < 0 || i >= N) return;
    if (state.selected >= 0) items[state.selected].classList.remove("selected");
    state.selected = i;
    items[i].classList.add("selected");
    var n = NODES[i];
    $("empty").hidden = true;
    $("node-view").hidden = false;
    $("d-name").textContent = n.name;
    showMeta(n);
    fillList($("d-up"), n.up);
    fillList($("d-down"), n.down);
    $("d-up-count").textContent = n.up.length + " direct, " + reach(i, "up").size + " in all";
    $("d-down-count").textContent = n.down.length + " direct, " + reach(i, "down").size + " in all";
    $("d-source").textContent = n.source === null ? "(no source: " +
      (n.kind === "function" ? "not available" : "an " + n.kind + " value") + ")" : DATA.sources[n.source];
    drawLineage();
    if (!keepHash) {
      try { history.replaceState(null, "", "#" + encodeURIComponent(n.name)); } catch (e) { /* file:// */ }
    }
    if (items[i].scrollIntoView && !items[i].hidden) items[i].scrollIntoView({ block: "nearest" });
  }

  /* ---- lineage graph: layers left (upstream) to right (downstream) ------------------ */
  function layers(sel, depth) {
    var level = new Map([[sel, 0]]);
    [["up", -1], ["down", 1]].forEach(function (dir) {
      var frontier = [sel];
      for (var d = 1; d <= depth && frontier.length; d++) {
        var next = [];
        frontier.forEach(function (u) {
          NODES[u][dir[0]].forEach(function (v) {
            if (!level.has(v)) { level.set(v, d * dir[1]); next.push(v); }
          });
        });
        frontier = next;
      }
    });
    /* longest-path refinement (bounded, so cycles cannot loop): an input sits left of its user */
    for (var pass = 0; pass < depth; pass++) {
      level.forEach(function (lv, u) {
        NODES[u].up.forEach(function (p) {
          var lp = level.get(p);
          if (lp === undefined || p === sel || u === sel) return;
          if (lv <= 0 && lp < 0 && lp > lv - 1 && lv - 1 >= -depth) level.set(p, lv - 1);
          if (lv > 0 && lp > 0 && lv < lp + 1 && lp + 1 <= depth) level.set(u, lp + 1);
        });
      });
    }
    return level;
  }

  function order(level, sel) {
    var cols = new Map();
    level.forEach(function (lv, u) { if (!cols.has(lv)) cols.set(lv, []); cols.get(lv).push(u); });
    var pos = new Map([[sel, 0]]);
    var keys = Array.from(cols.keys());
    var outward = keys.filter(function (k) { return k !== 0; })
      .sort(function (a, b) { return Math.abs(a) - Math.abs(b); });
    outward.forEach(function (lv) {
      var col = cols.get(lv), nb = lv < 0 ? "down" : "up";
      var bary = new Map();
      col.forEach(function (u) {
        var ps = NODES[u][nb].map(function (v) { return pos.get(v); })
          .filter(function (p) { return p !== undefined; });
        bary.set(u, ps.length ? ps.reduce(function (a, b) { return a + b; }, 0) / ps.length : 1e9);
      });
      col.sort(function (a, b) { return bary.get(a) - bary.get(b) || (NODES[a].name < NODES[b].name ? -1 : 1); });
      col.forEach(function (u, k) { pos.set(u, k); });
    });
    return cols;
  }

  function label(name) { return name.length > MAX_LABEL ? name.slice(0, MAX_LABEL - 1) + "\u2026" : name; }

  function drawLineage() {
    var sel = state.selected, depth = +$("depth").value, box = $("lineage");
    clear(box);
    var cols = order(layers(sel, depth), sel);
    var keys = Array.from(cols.keys()).sort(function (a, b) { return a - b; });
    var rows = 0;
    keys.forEach(function (k) { rows = Math.max(rows, Math.min(cols.get(k).length, MAX_PER_LAYER + 1)); });
    var width = keys.length * (NODE_W + GAP_X) - GAP_X + 2 * PAD;
    var height = rows * (NODE_H + GAP_Y) - GAP_Y + 2 * PAD;
    var frame = $("lineage-box"), room = frame.clientWidth - 2;
    var scale = room > 0 && width > room && room / width >= MIN_SCALE ? room / width : 1;
    box.setAttribute("width", Math.floor(width * scale));
    box.setAttribute("height", Math.ceil(height * scale));
    box.setAttribute("viewBox", "0 0 " + width + " " + height);
    var defs = svg("defs", {}), marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10,
      refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: "userSpaceOnUse", orient: "auto" });
    marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", "class": "arrow" }));
    defs.appendChild(marker);
    box.appendChild(defs);
    var place = new Map(), boxes = [];
    keys.forEach(function (lv, c) {
      var col = cols.get(lv), n = Math.min(col.length, MAX_PER_LAYER + 1);
      var top = PAD + (rows - n) * (NODE_H + GAP_Y) / 2, x = PAD + c * (NODE_W + GAP_X);
      col.forEach(function (u, r) {
        if (r >= MAX_PER_LAYER) return;
        place.set(u, { x: x, y: top + r * (NODE_H + GAP_Y), lv: lv });
      });
      if (col.length > MAX_PER_LAYER) {
        boxes.push({ more: col.length - MAX_PER_LAYER, x: x, y: top + MAX_PER_LAYER * (NODE_H + GAP_Y) });
      }
    });
    var edges = svg("g", { "class": "edges" });
    place.forEach(function (p, u) {
      NODES[u].up.forEach(function (v) {
        var q = place.get(v);
        if (!q) return;
        var x1 = q.x + NODE_W, y1 = q.y + NODE_H / 2, x2 = p.x, y2 = p.y + NODE_H / 2;
        var dx = Math.max(24, Math.abs(x2 - x1) / 2);
        var hit = state.hits !== null && state.hits.has(u) && (state.hits.has(v) || state.sources.has(v));
        var d = x2 > x1 ? "M" + x1 + "," + y1 + " C" + (x1 + dx) + "," + y1 + " " + (x2 - dx) + "," + y2 + " " + x2 + "," + y2
          : "M" + x1 + "," + y1 + " C" + (x1 + 40) + "," + (y1 + 30) + " " + (x2 - 40) + "," + (y2 + 30) + " " + x2 + "," + y2;
        edges.appendChild(svg("path", { d: d, "class": hit ? "e hit" : "e", "marker-end": "url(#arrow)" }));
      });
    });
    box.appendChild(edges);
    var nodesG = svg("g", { "class": "nodes" });
    place.forEach(function (p, u) {
      var n = NODES[u], cls = ["n", p.lv < 0 ? "up" : p.lv > 0 ? "down" : "sel"];
      if (n.kind === "input" || n.kind === "config") cls.push("ext");
      if (state.sources !== null && state.sources.has(u)) cls.push("src");
      else if (state.hits !== null && state.hits.has(u)) cls.push("hit");
      var g = svg("g", { "class": cls.join(" "), transform: "translate(" + p.x + "," + p.y + ")" });
      g.dataset.idx = u;
      var title = svg("title", {});
      title.textContent = n.name + ": " + n.type;
      g.appendChild(title);
      g.appendChild(svg("rect", { width: NODE_W, height: NODE_H, rx: 5 }));
      var text = svg("text", { x: 9, y: NODE_H / 2 });
      text.textContent = label(n.name);
      g.appendChild(text);
      nodesG.appendChild(g);
    });
    boxes.forEach(function (b) {
      var g = svg("g", { "class": "n more", transform: "translate(" + b.x + "," + b.y + ")" });
      g.appendChild(svg("rect", { width: NODE_W, height: NODE_H, rx: 5 }));
      var text = svg("text", { x: 9, y: NODE_H / 2 });
      text.textContent = "+" + b.more + " more";
      g.appendChild(text);
      nodesG.appendChild(g);
    });
    box.appendChild(nodesG);
    var mid = place.get(sel);  /* too wide to fit: scroll the selected node into the middle */
    frame.scrollLeft = Math.max(0, (mid.x + NODE_W / 2) * scale - frame.clientWidth / 2);
    frame.scrollTop = Math.max(0, (mid.y + NODE_H / 2) * scale - frame.clientHeight / 2);
  }

  /* ---- "which nodes depend on nodes tagged key=value?" ----------------------------- */
  function parseQuery(text) {
    var q = text.trim();
    if (!q) return null;
    var at = q.indexOf("=");
    if (at < 0) return [q, null];
    return [q.slice(0, at).trim(), q.slice(at + 1).trim()];
  }

  function runTaint() {
    var q = parseQuery($("taint-query").value), box = $("taint-result");
    clearTaintMarks();
    clear(box);
    if (!q) { box.hidden = true; applyFilters(); redraw(); return; }
    var sources = new Set();
    for (var i = 0; i < N; i++) if (hasTag(NODES[i], q[0], q[1])) sources.add(i);
    var hits = new Set();
    sources.forEach(function (s) { reach(s, "down").forEach(function (d) { if (!sources.has(d)) hits.add(d); }); });
    state.sources = sources;
    state.hits = hits;
    sources.forEach(function (s) { items[s].classList.add("taint-source"); });
    hits.forEach(function (h) { items[h].classList.add("tainted"); });
    var outputs = [];
    sources.forEach(function (s) { if (!NODES[s].down.length) outputs.push(s); });
    hits.forEach(function (h) { if (!NODES[h].down.length) outputs.push(h); });
    outputs.sort(function (a, b) { return a - b; });
    var what = q[0] + (q[1] === null ? "" : "=" + q[1]);
    box.hidden = false;
    box.appendChild(el("div", null, sources.size ? sources.size + " node(s) tagged " + what + "; " +
      hits.size + " node(s) depend on them; " + outputs.length + " output(s) affected:"
      : "No node is tagged " + what + "."));
    var chips = el("div", "chips");
    chips.id = "taint-outputs";
    outputs.forEach(function (o) {
      var chip = el("span", sources.has(o) ? "chip k-src" : "chip", NODES[o].name);
      chip.dataset.idx = o;
      chip.addEventListener("click", function () { select(o); });
      chips.appendChild(chip);
    });
    box.appendChild(chips);
    applyFilters();
    redraw();
  }

  function clearTaintMarks() {
    if (state.sources) state.sources.forEach(function (s) { items[s].classList.remove("taint-source"); });
    if (state.hits) state.hits.forEach(function (h) { items[h].classList.remove("tainted"); });
    state.sources = null;
    state.hits = null;
  }

  function redraw() { if (state.selected >= 0) drawLineage(); }

  /* ---- wiring ------------------------------------------------------------------------ */
  function selectFromHash() {
    var name;
    try { name = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }  /* "#%zz" */
    if (byName.has(name)) select(byName.get(name), true);
  }

  function init() {
    $("title").textContent = DATA.title;
    $("stats").textContent = N + " nodes \u00b7 " + DATA.modules.length + " modules \u00b7 " +
      Object.keys(DATA.tags).length + " tag keys";
    buildList();
    buildFilters();
    $("search").addEventListener("input", applyFilters);
    $("search").addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      for (var i = 0; i < N; i++) if (shown[i]) { select(i); break; }
    });
    $("tag-filter").addEventListener("change", applyFilters);
    $("module-filter").addEventListener("change", applyFilters);
    $("taint-only").addEventListener("change", applyFilters);
    $("depth").addEventListener("change", redraw);
    $("lineage").addEventListener("click", function (ev) {
      var g = ev.target.closest("g.n");
      if (g && g.dataset.idx !== undefined) select(+g.dataset.idx);
    });
    $("taint-form").addEventListener("submit", function (ev) { ev.preventDefault(); runTaint(); });
    $("taint-clear").addEventListener("click", function () {
      $("taint-query").value = "";
      runTaint();
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "/" && document.activeElement.tagName !== "INPUT") { ev.preventDefault(); $("search").focus(); }
    });
    window.addEventListener("hashchange", selectFromHash);
    applyFilters();
    selectFromHash();
  }

  init();
  var api = window.plaitCatalog = {
    ready: false,
    timings: { script: performance.now() - T0, render: null },
    lastFilterMs: function () { return state.lastFilterMs; },
    select: function (name) { if (byName.has(name)) select(byName.get(name)); }
  };
  requestAnimationFrame(function () {
    setTimeout(function () {  /* after the first frame has been painted */
      api.timings.render = performance.now();
      api.ready = true;
    }, 0);
  });
})();
