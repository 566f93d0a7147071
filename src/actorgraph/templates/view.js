/* actorgraph view: filters, evidence panel, search. All data is inserted as text, never as HTML. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("actorgraph-data").textContent);
  const byId = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const HINT = "Click an actor or a relation to see the statements and quotes behind it.";

  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const relationIris = data.legend.relations.map((r) => r.iri);
  const stanceNames = data.legend.stances.map((s) => s.stance);
  const classKinds = data.legend.classes.map((c) => c.kind);
  let minYear = Infinity, maxYear = -Infinity;
  for (const e of data.edges) {
    for (const y of [e.fromYear, e.untilYear]) {
      if (y !== null) { minYear = Math.min(minYear, y); maxYear = Math.max(maxYear, y); }
    }
  }
  if (minYear === Infinity) minYear = maxYear = new Date().getFullYear();
  const defaultYear = data.asOf ? parseInt(data.asOf, 10) : maxYear;

  const state = {
    relations: new Set(relationIris),
    stances: new Set(stanceNames),
    classes: new Set(classKinds),
    year: null,
    undated: true,
    hideIsolated: false,
    shownEnds: new Set(),
  };

  function edgeVisible(e) {
    if (!state.relations.has(e.relation) || !state.stances.has(e.stance)) return false;
    if (!state.classes.has(nodeById.get(e.from).kind) || !state.classes.has(nodeById.get(e.to).kind)) return false;
    if (state.year !== null) {
      if (e.fromYear === null && e.untilYear === null) return state.undated;
      if (e.fromYear !== null && e.fromYear > state.year) return false;
      if (e.untilYear !== null && e.untilYear < state.year) return false;
    }
    return true;
  }
  function nodeVisible(n) {
    return state.classes.has(n.kind) && (!state.hideIsolated || state.shownEnds.has(n.id));
  }

  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const nodesView = new vis.DataView(nodes, { filter: nodeVisible });
  const edgesView = new vis.DataView(edges, { filter: edgeVisible });
  const network = new vis.Network(byId("network"), { nodes: nodesView, edges: edgesView }, data.options);

  const view = {
    network, nodes, edges, nodesView, edgesView, state,
    ready: false, readyAt: null,
    refresh, showNode, showEdge, focusActor, reset,
  };
  window.actorgraphView = view;

  function markReady() {
    if (view.ready) return;
    view.ready = true;
    view.readyAt = performance.now();
    document.body.dataset.ready = "true";
  }
  const physics = Boolean(data.options.physics && data.options.physics.enabled);
  if (physics) {
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  /* ------------------------------------------------------------ filtering, at most once a frame */

  let scheduled = false;
  let nodesPending = false;
  function refresh(nodesToo) {
    nodesPending = nodesPending || Boolean(nodesToo);
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      applyFilters();
    });
  }
  function applyFilters() {
    const nodesToo = nodesPending || state.hideIsolated;
    nodesPending = false;
    edgesView.refresh();
    if (nodesToo) {
      state.shownEnds = new Set(edgesView.get().flatMap((e) => [e.from, e.to]));
      nodesView.refresh();
    }
    byId("counts").textContent =
      nodesView.length + " actors, " + edgesView.length + " of " + data.edges.length + " statements shown";
  }

  /* ------------------------------------------------------------ building blocks */

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function svgElement(tag, attributes) {
    const item = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) item.setAttribute(name, String(value));
    return item;
  }

  function swatchLine(color, width, dashes, arrow) {
    const svg = svgElement("svg", { width: 34, height: 12 });
    const line = svgElement("line", { x1: 2, y1: 6, x2: arrow ? 26 : 32, y2: 6, stroke: color, "stroke-width": Math.max(1, width) });
    if (Array.isArray(dashes)) line.setAttribute("stroke-dasharray", dashes.join(" "));
    svg.appendChild(line);
    if (arrow) svg.appendChild(svgElement("polygon", { points: "26,1 33,6 26,11", fill: color }));
    return svg;
  }

  const SHAPES = {
    dot: ["circle", { cx: 8, cy: 8, r: 6 }],
    square: ["rect", { x: 2, y: 2, width: 12, height: 12 }],
    diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
    triangle: ["polygon", { points: "8,1 15,14 1,14" }],
    triangleDown: ["polygon", { points: "1,2 15,2 8,15" }],
    star: ["polygon", { points: "8,1 10,6 15,6 11,9 13,15 8,11 3,15 5,9 1,6 6,6" }],
    hexagon: ["polygon", { points: "4,1 12,1 15,8 12,15 4,15 1,8" }],
  };
  function swatchShape(shape, color, dashed) {
    const svg = svgElement("svg", { width: 16, height: 16 });
    const [tag, attributes] = SHAPES[shape] || SHAPES.dot;
    const item = svgElement(tag, { ...attributes, fill: color, stroke: "#1b1b1b", "stroke-width": dashed ? 1.6 : 1 });
    if (dashed) item.setAttribute("stroke-dasharray", "2 1.5");
    svg.appendChild(item);
    return svg;
  }

  function checkbox(container, id, swatch, label, title, onChange) {
    const row = el("label");
    row.title = title || "";
    const input = el("input");
    input.type = "checkbox";
    input.id = id;
    input.checked = true;
    input.addEventListener("change", () => onChange(input.checked));
    row.append(input, swatch, el("span", label));
    container.appendChild(row);
    return input;
  }

  function slug(text) {
    return String(text).replace(/[^A-Za-z0-9_-]+/g, "-");
  }

  function toggle(set, value, on, nodesToo) {
    if (on) set.add(value); else set.delete(value);
    refresh(nodesToo);
  }

  /* ------------------------------------------------------------ legend and filters (from the ontology) */

  for (const s of data.legend.stances) {
    checkbox(byId("filter-stances"), "stance-" + slug(s.stance), swatchLine("#444", 2, s.dashes, false),
      s.label, s.definition, (on) => toggle(state.stances, s.stance, on, false));
  }
  const relationBox = byId("filter-relations");
  const groups = [[-1, "Conflict"], [1, "Cooperation"], [0, "Structural"]];
  for (const [sign, heading] of groups) {
    const members = data.legend.relations.filter((r) => (r.sign > 0 ? 1 : r.sign < 0 ? -1 : 0) === sign);
    if (!members.length) continue;
    relationBox.appendChild(el("h3", heading));
    for (const r of members) {
      checkbox(relationBox, "relation-" + slug(r.iri.split(/[#/]/).pop()),
        swatchLine(r.color, r.width, false, !r.symmetric), r.label, r.definition, (on) => toggle(state.relations, r.iri, on, false));
    }
  }
  for (const c of data.legend.classes) {
    checkbox(byId("filter-classes"), "class-" + slug(c.kind), swatchShape(c.shape, c.color, c.dashed),
      c.label, c.definition, (on) => toggle(state.classes, c.kind, on, true));
  }

  const yearInput = byId("year");
  const yearOn = byId("year-on");
  const yearValue = byId("year-value");
  yearInput.min = String(minYear);
  yearInput.max = String(maxYear);
  function readYear() {
    yearInput.disabled = !yearOn.checked;
    yearValue.textContent = yearInput.value;
    state.year = yearOn.checked ? parseInt(yearInput.value, 10) : null;
    refresh(false);
  }
  yearInput.addEventListener("input", readYear);
  yearOn.addEventListener("change", readYear);
  byId("undated").addEventListener("change", (event) => { state.undated = event.target.checked; refresh(false); });
  byId("hide-isolated").addEventListener("change", (event) => { state.hideIsolated = event.target.checked; refresh(true); });

  /* ------------------------------------------------------------ evidence panel */

  const panel = byId("panel");

  function period(e) {
    if (e.validFrom && e.validUntil) return e.validFrom + " – " + e.validUntil;
    if (e.validFrom) return "since " + e.validFrom;
    if (e.validUntil) return "until " + e.validUntil;
    if (e.attestedAt) return "as of " + e.attestedAt;
    return null;
  }

  function statementItem(e) {
    const shown = edgesView.get(e.id) !== null;
    const item = el("li", null, shown ? "" : "filtered");
    const from = nodeById.get(e.from), to = nodeById.get(e.to);
    const head = el("div");
    head.append(el("strong", from.label), " " + e.relationLabel + " ", el("strong", to.label));
    if (!shown) head.append(el("span", " (hidden by the filters)", "note"));
    item.appendChild(head);
    const meta = el("div", null, "meta");
    meta.append(el("span", e.stance, "stance stance-" + slug(e.stance)), " · asserted by " + e.asserterLabel);
    if (e.inferred) meta.append(" · ", el("span", "inferred", "stance stance-inferred"));
    if (e.contested.length) meta.append(" · contested by " + e.contested.join(", "));
    if (e.against.length) meta.append(" · against " + e.against.join(", "));
    const when = period(e);
    if (when) meta.append(" · " + when);
    item.appendChild(meta);
    item.appendChild(el("blockquote", e.quote));
    if (e.context && e.context !== e.quote) item.appendChild(el("div", "In context: " + e.context, "context"));
    if (e.note) item.appendChild(el("div", "Note: " + e.note, "note"));
    const source = data.sources[e.source] || { title: e.source, url: null };
    const cite = el("div", null, "meta");
    cite.append("— ");
    if (source.url && /^https?:\/\//i.test(source.url)) {
      const link = el("a", source.title);
      link.href = source.url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      cite.appendChild(link);
    } else {
      cite.append(source.title);
    }
    cite.append(", characters " + e.start + "–" + e.end);
    item.appendChild(cite);
    return item;
  }

  function showNode(id) {
    const n = nodeById.get(id);
    if (!n) return;
    panel.replaceChildren(el("h2", n.label), el("div", n.kindLabel, "meta kind"));
    if (n.aliases.length) panel.appendChild(el("div", "Also: " + n.aliases.join(", "), "meta aliases"));
    const other = (e) => nodeById.get(e.from === id ? e.to : e.from).label;
    const related = data.edges
      .filter((e) => e.from === id || e.to === id)
      .sort((a, b) => a.relationLabel.localeCompare(b.relationLabel) || other(a).localeCompare(other(b)));
    panel.appendChild(el("h3", related.length + " statement" + (related.length === 1 ? "" : "s")));
    const list = el("ol", null, "statements");
    for (const e of related) list.appendChild(statementItem(e));
    panel.appendChild(list);
  }

  function showEdge(id) {
    const e = edges.get(id);
    if (!e) return;
    const list = el("ol", null, "statements");
    list.appendChild(statementItem(e));
    panel.replaceChildren(el("h2", e.relationLabel), list);
  }

  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  /* ------------------------------------------------------------ search and reset */

  const names = new Map();
  const datalist = byId("actor-names");
  for (const n of data.nodes) {
    for (const name of [n.label, ...n.aliases, ...n.searchNames]) {
      const key = name.trim().toLowerCase();
      if (!names.has(key)) {
        names.set(key, n.id);
        const option = el("option");
        option.value = name;
        datalist.appendChild(option);
      }
    }
  }

  function lookup(name) {
    const key = String(name).trim().toLowerCase();
    if (!key) return null;
    if (names.has(key)) return names.get(key);
    const partial = new Set([...names].filter(([k]) => k.includes(key)).map(([, id]) => id));
    return partial.size === 1 ? [...partial][0] : null;
  }

  function focusActor(name) {
    const search = byId("search");
    const id = lookup(name);
    if (!id) {
      search.setCustomValidity("No single actor matches " + JSON.stringify(String(name)));
      search.reportValidity();
      return false;
    }
    search.setCustomValidity("");
    const node = nodeById.get(id);
    if (!state.classes.has(node.kind) || !nodeVisible(node)) {  // bring a filtered-out actor back
      state.classes.add(node.kind);
      byId("class-" + slug(node.kind)).checked = true;
      state.hideIsolated = false;
      byId("hide-isolated").checked = false;
      nodesPending = true;
      applyFilters();
    }
    const neighbours = network.getConnectedNodes(id);
    network.selectNodes([id, ...neighbours]);
    network.focus(id, { scale: 1.2, animation: false });
    showNode(id);
    return true;
  }

  byId("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    focusActor(byId("search").value);
  });
  byId("search").addEventListener("input", () => byId("search").setCustomValidity(""));

  function reset() {
    state.relations = new Set(relationIris);
    state.stances = new Set(stanceNames);
    state.classes = new Set(classKinds);
    state.undated = true;
    state.hideIsolated = false;
    for (const input of document.querySelectorAll("#controls input[type=checkbox]")) {
      input.checked = !["year-on", "hide-isolated"].includes(input.id);
    }
    yearOn.checked = Boolean(data.asOf);
    yearInput.value = String(defaultYear);
    byId("search").value = "";
    byId("search").setCustomValidity("");
    readYear();
    refresh(true);
    network.unselectAll();
    network.fit({ animation: false });
    panel.replaceChildren(el("p", HINT, "hint"));
  }
  byId("reset").addEventListener("click", reset);

  yearInput.value = String(defaultYear);
  yearOn.checked = Boolean(data.asOf);
  readYear();
  refresh(true);
})();
