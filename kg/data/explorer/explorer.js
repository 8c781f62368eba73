// The parkkg explorer. Every piece of text from the graph is put into the page with textContent
// or createTextNode, never innerHTML; vis-network draws labels on a canvas and is given no titles.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const FONTS = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif';
  const typeOf = Object.fromEntries(data.types.map((t) => [t.key, t]));
  const relationOf = Object.fromEntries(data.relations.map((r) => [r.key, r]));
  const nodes = data.nodes;
  const state = {
    shown: Math.min(data.step, nodes.length),
    types: Object.fromEntries(data.types.map((t) => [t.key, true])),
    relations: Object.fromEntries(data.relations.map((r) => [r.key, true])),
    coMentions: false,
    city: "",
    revealed: new Set(), // nodes a search or a click brought in beyond the first `shown`
  };

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "on") for (const [event, f] of Object.entries(v)) e.addEventListener(event, f);
      else if (k === "style") Object.assign(e.style, v);
      else e[k] = v;
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  // which nodes pass the filters, and of those the first `shown` (most connected first)
  let visible = new Set();
  function computeVisible() {
    visible = new Set();
    let passing = 0;
    nodes.forEach((n, i) => {
      if (!state.types[n.type]) return;
      if (state.city && n.city !== state.city) return;
      passing += 1;
      if (passing <= state.shown || state.revealed.has(i)) visible.add(i);
    });
    state.passing = passing;
  }

  computeVisible();
  const nodeSet = new vis.DataSet(
    nodes.map((n, i) => ({
      id: i,
      label: n.name,
      x: n.x,
      y: n.y,
      size: n.size,
      color: { background: typeOf[n.type].colour, border: "#ffffff", highlight: { background: typeOf[n.type].colour, border: "#000000" } },
    })),
  );
  const edgeRows = data.facts.map((f, k) => ({
    id: "f" + k,
    from: f.a,
    to: f.b,
    label: (relationOf[f.type].label + " " + (f.title || "")).trim(),
    arrows: f.type === "signed_with" ? "" : "to",
    kind: f.type,
    width: Math.min(1 + Math.log2(f.n), 4),
  }));
  data.co.forEach((c, k) => {
    edgeRows.push({ id: "c" + k, from: c[0], to: c[1], kind: "co", dashes: true, color: { color: "#cccccc" }, width: Math.min(c[2], 4), arrows: "" });
  });
  const edgeSet = new vis.DataSet(edgeRows);
  const nodeView = new vis.DataView(nodeSet, { filter: (n) => visible.has(n.id) });
  const edgeView = new vis.DataView(edgeSet, {
    filter: (e) =>
      visible.has(e.from) && visible.has(e.to) && (e.kind === "co" ? state.coMentions : state.relations[e.kind]),
  });

  // labels cost most of a frame: in a large graph they show only when zoomed in enough to read
  const large = data.facts.length + data.co.length > 1500;
  const network = new vis.Network(
    document.getElementById("graph"),
    { nodes: nodeView, edges: edgeView },
    {
      physics: false,
      layout: { improvedLayout: false },
      interaction: { hover: true, hideEdgesOnDrag: nodes.length > 2000, tooltipDelay: 3600000 },
      nodes: {
        shape: "dot",
        font: { face: FONTS, size: 16, strokeWidth: 4, strokeColor: "#ffffff" },
        scaling: { label: { drawThreshold: large ? 8 : 5 } },
        borderWidth: 1,
      },
      edges: {
        smooth: false,
        color: { color: "#8a8a8a", highlight: "#222222", hover: "#444444" },
        font: { face: FONTS, size: 12, strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
        arrows: { to: { scaleFactor: 0.5 } },
        scaling: { label: { drawThreshold: large ? 12 : 5 } },
        selectionWidth: 2,
      },
    },
  );

  function refresh() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    status();
  }

  const statusEl = document.getElementById("status");
  const moreEl = document.getElementById("more");
  function status() {
    const shownFacts = edgeView.getIds().length;
    statusEl.textContent = `显示 ${visible.size} / ${nodes.length} 实体 entities · ${shownFacts} 条边 edges`;
    moreEl.disabled = visible.size >= state.passing;
  }
  moreEl.addEventListener("click", () => {
    state.shown += data.step;
    refresh();
  });

  // filters: the legend of entity types and relation types is also where they are switched on and off
  const typesEl = document.getElementById("types");
  typesEl.append(el("h4", {}, "实体 entities"));
  for (const t of data.types) {
    const box = el("input", { type: "checkbox", checked: true, value: t.key, on: { change: (ev) => { state.types[t.key] = ev.target.checked; refresh(); } } });
    box.dataset.type = t.key;
    typesEl.append(el("label", {}, box, el("span", { className: "swatch", style: { background: t.colour } }), t.label));
  }
  const relationsEl = document.getElementById("relations");
  relationsEl.append(el("h4", {}, "关系 relations"));
  for (const r of data.relations) {
    const box = el("input", { type: "checkbox", checked: true, on: { change: (ev) => { state.relations[r.key] = ev.target.checked; refresh(); } } });
    box.dataset.relation = r.key;
    relationsEl.append(el("label", {}, box, el("span", { className: "line" }), r.label + " " + r.key));
  }
  const coBox = el("input", { type: "checkbox", checked: false, on: { change: (ev) => { state.coMentions = ev.target.checked; refresh(); } } });
  coBox.dataset.relation = "co_mention";
  const coNote = data.co_total > data.co.length ? ` (${data.co.length}/${data.co_total})` : "";
  relationsEl.append(el("label", {}, coBox, el("span", { className: "line co" }), "同句共现 co-mention" + coNote));

  const cityEl = document.getElementById("city");
  const cityCounts = new Map();
  for (const n of nodes) if (n.city) cityCounts.set(n.city, (cityCounts.get(n.city) || 0) + 1);
  cityEl.append(el("option", { value: "" }, "全部城市 all cities"));
  for (const [c, k] of [...cityCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    cityEl.append(el("option", { value: c }, `${c} (${k})`));
  }
  cityEl.addEventListener("change", () => {
    state.city = cityEl.value;
    state.revealed.clear();
    refresh();
    network.fit({ nodes: [...visible], animation: false });
  });

  // search: names and aliases, Simplified or Traditional (the page holds both forms of each)
  const searchEl = document.getElementById("search");
  const suggestionsEl = document.getElementById("suggestions");
  let matches = [];
  function findMatches(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const exact = [], starts = [], inside = [];
    nodes.forEach((n, i) => {
      const forms = n.search.split("\n");
      if (forms.includes(q)) exact.push(i);
      else if (forms.some((f) => f.startsWith(q))) starts.push(i);
      else if (n.search.includes(q)) inside.push(i);
    });
    return exact.concat(starts, inside).slice(0, 10);
  }
  function showSuggestions() {
    matches = findMatches(searchEl.value);
    suggestionsEl.replaceChildren(
      ...matches.map((i, k) =>
        el(
          "li",
          { className: k === 0 ? "active" : "", on: { mousedown: (ev) => { ev.preventDefault(); select(i); } } },
          el("span", { className: "swatch", style: { background: typeOf[nodes[i].type].colour, width: "10px", height: "10px", borderRadius: "5px", display: "inline-block" } }),
          nodes[i].name,
          el("span", { className: "kind" }, typeOf[nodes[i].type].label + (nodes[i].city ? " · " + nodes[i].city : "")),
        ),
      ),
    );
    suggestionsEl.hidden = matches.length === 0;
  }
  searchEl.addEventListener("input", showSuggestions);
  searchEl.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      if (!matches.length) showSuggestions();
      if (matches.length) select(matches[0]);
    } else if (ev.key === "Escape") {
      suggestionsEl.hidden = true;
    }
  });
  searchEl.addEventListener("blur", () => { suggestionsEl.hidden = true; });

  // bring a node into view, whatever hides it, select it and open its panel
  function select(i) {
    const n = nodes[i];
    suggestionsEl.hidden = true;
    if (!state.types[n.type]) {
      state.types[n.type] = true;
      typesEl.querySelector(`input[data-type="${n.type}"]`).checked = true;
    }
    if (state.city && n.city !== state.city) {
      state.city = "";
      cityEl.value = "";
    }
    state.revealed.add(i);
    refresh();
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(i);
  }

  // the side panel
  const panel = document.getElementById("panel");
  function openPanel(...children) {
    panel.replaceChildren(el("button", { className: "close", type: "button", title: "close", on: { click: closePanel } }, "×"), ...children);
    panel.hidden = false;
  }
  function closePanel() {
    panel.hidden = true;
    network.unselectAll();
  }
  function nodeLink(i) {
    return el("button", { className: "link", type: "button", on: { click: () => select(i) } }, nodes[i].name);
  }
  function evidence(ev) {
    return ev.map(([s, d, date, confidence]) => {
      const doc = data.docs[d];
      const source = [doc[1] || doc[0], date || doc[2]].filter(Boolean).join(" · ");
      const conf = typeof confidence === "number" ? ` · 置信度 confidence ${confidence.toFixed(2)}` : "";
      return el("div", { className: "evidence" }, el("blockquote", {}, data.sentences[s]), el("div", { className: "source" }, source + conf));
    });
  }
  function factLine(f, from) {
    const other = f.a === from ? f.b : f.a;
    const arrow = f.type === "signed_with" ? "↔ " : f.a === from ? "→ " : "← ";
    return el("li", {}, arrow, nodeLink(other), f.title ? ` (${f.title})` : "", f.n > 1 ? ` ×${f.n}` : "");
  }
  function showNode(i) {
    const n = nodes[i];
    const type = typeOf[n.type];
    const mine = data.facts.filter((f) => f.a === i || f.b === i);
    const grouped = data.relations
      .map((r) => [r, mine.filter((f) => f.type === r.key)])
      .filter(([, fs]) => fs.length);
    const sections = grouped.map(([r, fs]) => [el("h4", {}, `${r.label} ${r.key} (${fs.length})`), el("ul", {}, ...fs.map((f) => factLine(f, i)))]);
    const proofs = mine.slice(0, 40).flatMap((f) => [
      el("h4", {}, `${nodes[f.a].name} ${relationOf[f.type].label}${f.title ? " " + f.title : ""} ${nodes[f.b].name}`),
      ...evidence(f.ev),
    ]);
    const co = data.co.filter((c) => c[0] === i || c[1] === i).slice(0, 15);
    openPanel(
      el("h2", {}, n.name),
      el("span", { className: "badge", style: { background: type.colour } }, type.label),
      el(
        "dl",
        {},
        el("dt", {}, "别名 aliases"), el("dd", {}, n.aliases.join("、") || "—"),
        el("dt", {}, "行政区划 admin"), el("dd", {}, n.path.join(" › ") || "—"),
        el("dt", {}, "来源 documents"), el("dd", {}, String(n.docs)),
        el("dt", {}, "IRI"), el("dd", { style: { wordBreak: "break-all", fontSize: "11px" } }, n.iri),
      ),
      el("h3", {}, `关系 relations (${mine.length})`),
      ...(sections.length ? sections.flat() : [el("p", {}, "—")]),
      co.length ? el("h3", {}, "同句共现 co-mentioned with") : null,
      co.length ? el("ul", {}, ...co.map((c) => el("li", {}, nodeLink(c[0] === i ? c[1] : c[0]), ` ×${c[2]}`))) : null,
      el("h3", {}, "证据 evidence"),
      ...(proofs.length ? proofs : [el("p", {}, "—")]),
    );
  }
  function showEdge(id) {
    if (id[0] === "c") {
      const c = data.co[Number(id.slice(1))];
      openPanel(
        el("h2", {}, `${nodes[c[0]].name} — ${nodes[c[1]].name}`),
        el("p", {}, `同句共现 co-mentioned in ${c[2]} sentences`),
        ...evidence(c[3].map(([s, d]) => [s, d, "", null])),
      );
      return;
    }
    const f = data.facts[Number(id.slice(1))];
    openPanel(
      el("h2", {}, relationOf[f.type].label + (f.title ? " " + f.title : "")),
      el("p", {}, nodeLink(f.a), f.type === "signed_with" ? " ↔ " : " → ", nodeLink(f.b)),
      el("h3", {}, `证据 evidence (${f.n})`),
      ...evidence(f.ev),
    );
  }
  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else closePanel();
  });

  status();
  // a large graph opens on its largest connected piece, readable, rather than on all of it, too small to read
  if (nodes.length > data.step) {
    network.fit({ nodes: [...visible].filter((i) => nodes[i].piece === 0), animation: false });
  }
  window.parkkg = { data, network, select, state, refresh, visible: () => [...visible], ready: false };
  network.once("afterDrawing", () => {
    window.parkkg.ready = true;
    document.body.dataset.ready = "true";
  });
})();
