/* actorgraph view: filters, evidence panel, search. All data is inserted as text, never as HTML. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("actorgraph-data").textContent);
  const byId = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";

  const nodeKind = new Map(data.nodes.map((n) => [n.id, n.kind]));
  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const relationIris = data.legend.relations.map((r) => r.iri);
  const stanceNames = data.legend.stances.map((s) => s.stance);
  const classKinds = data.legend.classes.map((c) => c.kind);
  const years = data.edges.flatMap((e) => [e.fromYear, e.untilYear]).filter((y) => y !== null);

  const state = {
    relations: new Set(relationIris),
    stances: new Set(stanceNames),
    classes: new Set(classKinds),
    year: null,
    undated: true,
  };

  function edgeVisible(e) {
    if (!state.relations.has(e.relation) || !state.stances.has(e.stance)) return false;
    if (!state.classes.has(nodeKind.get(e.from)) || !state.classes.has(nodeKind.get(e.to))) return false;
    if (state.year !== null) {
      if (e.fromYear === null && e.untilYear === null) return state.undated;
      if (e.fromYear !== null && e.fromYear > state.year) return false;
      if (e.untilYear !== null && e.untilYear < state.year) return false;
    }
    return true;
  }

  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const nodesView = new vis.DataView(nodes, { filter: (n) => state.classes.has(n.kind) });
  const edgesView = new vis.DataView(edges, { filter: edgeVisible });
  const container = byId("network");
  const network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);

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
  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  }
  network.once("afterDrawing", () => {
    if (!(data.options.physics && data.options.physics.enabled)) markReady();
  });

  /* ------------------------------------------------------------ building blocks */

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function swatchLine(color, width, dashes, arrow) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "34");
    svg.setAttribute("height", "12");
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "2"); line.setAttribute("y1", "6");
    line.setAttribute("x2", arrow ? "26" : "32"); line.setAttribute("y2", "6");
    line.setAttribute("stroke", color);
    line.setAttribute("stroke-width", String(Math.max(1, width)));
    if (Array.isArray(dashes)) line.setAttribute("stroke-dasharray", dashes.join(" "));
    svg.appendChild(line);
    if (arrow) {
      const head = document.createElementNS(SVG, "polygon");
      head.setAttribute("points", "26,1 33,6 26,11");
      head.setAttribute("fill", color);
      svg.appendChild(head);
    }
    return svg;
  }

  function swatchShape(shape, color) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    const shapes = {
      dot: ["circle", { cx: 8, cy: 8, r: 6 }],
      square: ["rect", { x: 2, y: 2, width: 12, height: 12 }],
      diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
      triangle: ["polygon", { points: "8,1 15,14 1,14" }],
      triangleDown: ["polygon", { points: "1,2 15,2 8,15" }],
      star: ["polygon", { points: "8,1 10,6 15,6 11,9 13,15 8,11 3,15 5,9 1,6 6,6" }],
      hexagon: ["polygon", { points: "4,1 12,1 15,8 12,15 4,15 1,8" }],
    };
    const [tag, attributes] = shapes[shape] || shapes.dot;
    const item = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) item.setAttribute(name, String(value));
    item.setAttribute("fill", color);
    item.setAttribute("stroke", "#1b1b1b");
    svg.appendChild(item);
    return svg;
  }

  function checkbox(container, id, swatch, label, title, checked, onChange) {
    const row = el("label");
    row.title = title || "";
    const input = el("input");
    input.type = "checkbox";
    input.id = id;
    input.checked = checked;
    input.addEventListener("change", () => onChange(input.checked));
    row.append(input, swatch, el("span", label));
    container.appendChild(row);
    return input;
  }

  function slug(text) {
    return String(text).replace(/[^A-Za-z0-9_-]+/g, "-");
  }

  /* ------------------------------------------------------------ legend and filters (from the ontology) */

  for (const s of data.legend.stances) {
    checkbox(byId("filter-stances"), "stance-" + slug(s.stance), swatchLine("#444", 2, s.dashes, false),
      s.label, s.definition, true, (on) => { toggle(state.stances, s.stance, on); });
  }
  for (const r of data.legend.relations) {
    const sign = r.sign > 0 ? " (cooperation)" : r.sign < 0 ? " (conflict)" : " (structural)";
    checkbox(byId("filter-relations"), "relation-" + slug(r.iri.split(/[#/]/).pop()),
      swatchLine(r.color, r.width, false, !r.symmetric), r.label, r.definition + sign, true,
      (on) => { toggle(state.relations, r.iri, on); });
  }
  for (const c of data.legend.classes) {
    checkbox(byId("filter-classes"), "class-" + slug(c.kind), swatchShape(c.shape, c.color),
      c.label, c.definition, true, (on) => { toggle(state.classes, c.kind, on); });
  }

  function toggle(set, value, on) {
    if (on) set.add(value); else set.delete(value);
    refresh();
  }

  const yearInput = byId("year");
  const yearOn = byId("year-on");
  const yearValue = byId("year-value");
  const minYear = years.length ? Math.min(...years) : new Date().getFullYear();
  const maxYear = years.length ? Math.max(...years) : minYear;
  yearInput.min = String(minYear);
  yearInput.max = String(maxYear);
  yearInput.value = String(data.asOf ? parseInt(data.asOf, 10) : maxYear);
  yearValue.textContent = yearInput.value;
  function readYear() {
    yearInput.disabled = !yearOn.checked;
    yearValue.textContent = yearInput.value;
    state.year = yearOn.checked ? parseInt(yearInput.value, 10) : null;
    refresh();
  }
  yearInput.addEventListener("input", readYear);
  yearInput.addEventListener("change", readYear);
  yearOn.addEventListener("change", readYear);
  byId("undated").addEventListener("change", (event) => { state.undated = event.target.checked; refresh(); });

  function refresh() {
    nodesView.refresh();
    edgesView.refresh();
    byId("counts").textContent =
      nodesView.length + " actors, " + edgesView.length + " of " + data.edges.length + " statements shown";
  }

  /* ------------------------------------------------------------ evidence panel */

  const panel = byId("panel");

  function period(e) {
    if (e.validFrom && e.validUntil) return e.validFrom + " – " + e.validUntil;
    if (e.validFrom) return "since " + e.validFrom;
    if (e.validUntil) return "until " + e.validUntil;
    return null;
  }

  function statementItem(e) {
    const item = el("li");
    const from = nodeById.get(e.from), to = nodeById.get(e.to);
    const head = el("div");
    head.append(el("strong", from ? from.label : e.from), " " + e.relationLabel + " ", el("strong", to ? to.label : e.to));
    item.appendChild(head);
    const meta = el("div", null, "meta");
    meta.append(el("span", e.stance, "stance stance-" + slug(e.stance)), " · asserted by " + e.asserterLabel);
    if (e.contested.length) meta.append(" · contested by " + e.contested.join(", "));
    const when = period(e);
    if (when) meta.append(" · " + when);
    item.appendChild(meta);
    item.appendChild(el("blockquote", e.quote));
    const source = data.sources[e.source] || { title: e.source, url: null };
    const cite = el("div", null, "meta");
    cite.append("— ");
    if (source.url && /^https?:\/\//.test(source.url)) {
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
    panel.replaceChildren();
    panel.appendChild(el("h2", n.label));
    panel.appendChild(el("div", n.kindLabel, "meta kind"));
    if (n.aliases.length) panel.appendChild(el("div", "Also: " + n.aliases.join(", "), "meta aliases"));
    const related = data.edges.filter((e) => e.from === id || e.to === id);
    panel.appendChild(el("h3", related.length + " statement" + (related.length === 1 ? "" : "s")));
    const list = el("ol", null, "statements");
    for (const e of related) list.appendChild(statementItem(e));
    panel.appendChild(list);
  }

  function showEdge(id) {
    const e = edges.get(id);
    if (!e) return;
    panel.replaceChildren();
    panel.appendChild(el("h2", e.relationLabel));
    const list = el("ol", null, "statements");
    list.appendChild(statementItem(e));
    panel.appendChild(list);
  }

  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  /* ------------------------------------------------------------ search and reset */

  const names = new Map();
  const datalist = byId("actor-names");
  for (const n of data.nodes) {
    for (const name of [n.label, ...n.aliases]) {
      const key = name.trim().toLowerCase();
      if (!names.has(key)) {
        names.set(key, n.id);
        const option = el("option");
        option.value = name;
        datalist.appendChild(option);
      }
    }
  }

  function focusActor(name) {
    const id = names.get(String(name).trim().toLowerCase());
    if (!id) {
      byId("search").setCustomValidity("No actor named " + name);
      byId("search").reportValidity();
      return false;
    }
    byId("search").setCustomValidity("");
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
    for (const input of document.querySelectorAll("#controls input[type=checkbox]")) input.checked = input.id !== "year-on";
    yearOn.checked = Boolean(data.asOf);
    readYear();
    network.unselectAll();
    network.fit({ animation: false });
    panel.replaceChildren(el("p", "Click an actor or a relation to see the statements and quotes behind it.", "hint"));
  }
  byId("reset").addEventListener("click", reset);

  if (data.asOf) yearOn.checked = true;
  readYear();
})();
