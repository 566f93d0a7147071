/* actorgraph view: filters, evidence panel, search. All data is inserted as text, never as HTML.
   Positions are fixed (computed when the page was written): filters, search, Focus and Reset
   never move an actor. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("actorgraph-data").textContent);
  const byId = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const HINT = "Click an actor or a relation to see the statements and quotes behind it.";
  const LEVELS = data.legend.levels.map((l) => l.level);
  const levelStyle = new Map(data.legend.levels.map((l) => [l.level, l]));
  const FAMILIES = [[-1, "Conflict"], [1, "Cooperation"], [0, "Structural"]];

  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const statementById = new Map(Object.entries(data.statements));
  const tieById = new Map(data.edges.map((e) => [e.id, e]));
  const relationIris = data.legend.relations.map((r) => r.iri);
  const stanceNames = data.legend.stances.map((s) => s.stance);
  const classKinds = data.legend.classes.map((c) => c.kind);
  let minYear = Infinity, maxYear = -Infinity;
  for (const s of statementById.values()) {
    for (const y of [s.fromYear, s.untilYear]) {
      if (y !== null) { minYear = Math.min(minYear, y); maxYear = Math.max(maxYear, y); }
    }
  }
  if (minYear === Infinity) minYear = maxYear = new Date().getFullYear();
  const defaultYear = data.asOf ? parseInt(data.asOf, 10) : maxYear;

  const state = {
    relations: new Set(relationIris),
    stances: new Set(stanceNames),
    classes: new Set(classKinds),
    inferred: true,
    year: null,
    undated: true,
    hideIsolated: false,
    shownEnds: new Set(),
  };

  function statementVisible(s) {
    if (!state.relations.has(s.relation) || !state.stances.has(s.stance)) return false;
    if (s.inferred && !state.inferred) return false;
    if (!state.classes.has(nodeById.get(s.from).kind) || !state.classes.has(nodeById.get(s.to).kind)) return false;
    if (state.year !== null) {
      if (s.fromYear === null && s.untilYear === null) return state.undated;
      if (s.fromYear !== null && s.fromYear > state.year) return false;
      if (s.untilYear !== null && s.untilYear < state.year) return false;
    }
    return true;
  }
  const visibleLevel = new Map();  // tie id -> the strongest level among its visible statements
  function computeTies() {
    visibleLevel.clear();
    for (const tie of data.edges) {
      let best = null;
      for (const id of tie.statements) {
        const s = statementById.get(id);
        if (statementVisible(s) && (best === null || LEVELS.indexOf(s.level) < LEVELS.indexOf(best))) best = s.level;
      }
      if (best !== null) visibleLevel.set(tie.id, best);
    }
  }
  function tieVisible(e) { return visibleLevel.has(e.id); }
  function nodeVisible(n) {
    return state.classes.has(n.kind) && (!state.hideIsolated || state.shownEnds.has(n.id));
  }

  computeTies();
  // the canvas draws each label in a first-strong isolate, so that bidi controls in it cannot
  // reorder what is drawn around it
  const nodes = new vis.DataSet(data.nodes.map((n) => ({ ...n, label: "\u2068" + n.label + "\u2069" })));
  const edges = new vis.DataSet(data.edges);
  const nodesView = new vis.DataView(nodes, { filter: nodeVisible });
  const edgesView = new vis.DataView(edges, { filter: tieVisible });
  const network = new vis.Network(byId("network"), { nodes: nodesView, edges: edgesView }, data.options);

  const view = {
    network, nodes, edges, nodesView, edgesView, state,
    ready: false, readyAt: null,
    refresh, showNode, showEdge, focusActor, reset, fitAll,
    visibleStatements: () => [...statementById.values()].filter((s) => statementVisible(s)).map((s) => s.id),
  };
  window.actorgraphView = view;

  function fitAll() {
    network.fit({ animation: false, minZoomLevel: 0.05, maxZoomLevel: 1.2 });
  }
  network.once("afterDrawing", () => {
    fitAll();
    view.ready = true;
    view.readyAt = performance.now();
    document.body.dataset.ready = "true";
  });

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
  function styleFor(tie, level) {
    const style = levelStyle.get(level);
    const color = style.colour || tie.baseColor;
    return { id: tie.id, level: level, dashes: style.dashes,
      color: { color: color, highlight: color, hover: color, opacity: style.opacity } };
  }
  function applyFilters() {
    const nodesToo = nodesPending || state.hideIsolated;
    nodesPending = false;
    computeTies();
    const restyled = [];
    for (const [id, level] of visibleLevel) {
      const tie = edges.get(id);
      if (tie.level !== level) restyled.push(styleFor(tie, level));
    }
    if (restyled.length) edges.update(restyled);
    edgesView.refresh();
    if (nodesToo) {
      state.shownEnds = new Set(edgesView.get().flatMap((e) => [e.from, e.to]));
      nodesView.refresh();
    }
    let shown = 0;
    for (const s of statementById.values()) if (statementVisible(s)) shown += 1;
    byId("counts").textContent =
      nodesView.length + " actors, " + shown + " of " + statementById.size + " statements shown";
    if (shownNode) showNode(shownNode);  // an open actor's list follows the filters
  }

  /* ------------------------------------------------------------ building blocks */

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // Every data string (labels, names, titles, notes) goes into its own <bdi>, which isolates
  // its direction: a bidi control in it cannot reorder the text around it.
  function value(text, className) {
    return el("bdi", text, className);
  }

  function values(texts) {
    return texts.flatMap((text, i) => (i ? [", ", value(text)] : [value(text)]));
  }

  function strong(text) {
    const node = el("strong");
    node.append(value(text));
    return node;
  }

  function svgElement(tag, attributes) {
    const item = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) item.setAttribute(name, String(value));
    return item;
  }

  function swatchLine(color, width, dashes, arrow, opacity) {
    const svg = svgElement("svg", { width: 34, height: 12 });
    const line = svgElement("line", { x1: 2, y1: 6, x2: arrow ? 26 : 32, y2: 6, stroke: color, "stroke-width": Math.max(1, width) });
    if (Array.isArray(dashes)) line.setAttribute("stroke-dasharray", dashes.map((d) => d / 2).join(" "));
    if (opacity !== undefined) line.setAttribute("stroke-opacity", String(opacity));
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
    row.append(input);
    if (swatch) row.append(swatch);
    row.append(value(label));
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

  const styleBox = byId("legend-levels");
  for (const l of data.legend.levels) {
    const row = el("div", null, "legend-row");
    row.title = l.description;
    row.append(swatchLine(l.colour || "#333", 3, l.dashes, false, l.opacity), value(l.label));
    styleBox.appendChild(row);
  }
  for (const s of data.legend.stances) {
    checkbox(byId("filter-stances"), "stance-" + slug(s.stance), null, s.label, s.definition,
      (on) => toggle(state.stances, s.stance, on, false));
  }
  checkbox(byId("filter-stances"), "basis-inferred", null, "inferred by a reader",
    "Claims the text does not state, which a reader infers from it", (on) => { state.inferred = on; refresh(false); });
  const relationBox = byId("filter-relations");
  for (const [sign, heading] of FAMILIES) {
    const members = data.legend.relations.filter((r) => Math.sign(r.sign) === sign);
    if (!members.length) continue;
    relationBox.appendChild(el("h3", heading));
    for (const r of members) {
      const width = sign < 0 ? 3.2 : sign > 0 ? 2.4 : 1.5;
      checkbox(relationBox, "relation-" + slug(r.iri.split(/[#/]/).pop()),
        swatchLine(r.colour, width, false, !r.symmetric), r.label, r.definition, (on) => toggle(state.relations, r.iri, on, false));
    }
  }
  for (const c of data.legend.classes) {
    checkbox(byId("filter-classes"), "class-" + slug(c.kind), swatchShape(c.shape, c.colour, c.dashed),
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

  function period(s) {
    if (s.validFrom && s.validUntil) return s.validFrom + " – " + s.validUntil;
    if (s.validFrom) return "since " + s.validFrom;
    if (s.validUntil) return "until " + s.validUntil;
    if (s.attestedAt) return "as of " + s.attestedAt;
    return null;
  }

  function statementItem(s) {
    const shown = statementVisible(s);
    const item = el("li", null, shown ? "" : "filtered");
    item.dataset.statement = s.id;
    const from = nodeById.get(s.from), to = nodeById.get(s.to);
    const head = el("div");
    head.append(strong(from.fullLabel), " ", value(s.relationLabel), " ", strong(to.fullLabel));
    if (!shown) head.append(el("span", " (hidden by the filters)", "note"));
    item.appendChild(head);
    const meta = el("div", null, "meta");
    meta.append(el("span", s.stance, "stance stance-" + slug(s.stance)));
    if (s.inferred) meta.append(" · ", el("span", "inferred", "stance stance-inferred"));
    meta.append(" · asserted by ", value(s.asserterLabel));
    if (s.contested.length) meta.append(" · contested by ", ...values(s.contested));
    if (s.against.length) meta.append(" · against ", ...values(s.against));
    const when = period(s);
    if (when) meta.append(" · ", value(when));
    item.appendChild(meta);
    const quote = el("blockquote");
    quote.append(value(s.quote));
    item.appendChild(quote);
    if (s.context && s.context !== s.quote) item.appendChild(labelled("In context: ", s.context, "context"));
    if (s.note) item.appendChild(labelled("Note: ", s.note, "note"));
    const source = data.sources[s.source] || { title: s.source, url: null };
    const cite = el("div", null, "meta");
    cite.append("— ");
    if (source.url && /^https?:\/\//i.test(source.url)) {
      const link = el("a");
      link.append(value(source.title));
      link.href = source.url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      cite.appendChild(link);
    } else {
      cite.append(value(source.title));
    }
    cite.append(", characters " + s.start + "–" + s.end);
    item.appendChild(cite);
    return item;
  }

  function labelled(label, text, className) {
    const node = el("div", null, className);
    node.append(label, value(text));
    return node;
  }

  function tieHeading(tie) {
    const heading = el("h2");
    heading.append(value(nodeById.get(tie.from).fullLabel), " ", value(tie.relationLabel), " ",
      value(nodeById.get(tie.to).fullLabel));
    return heading;
  }

  function strongestFirst(a, b) {
    return LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) ||
      a.relationLabel.localeCompare(b.relationLabel) || a.id.localeCompare(b.id);
  }

  let shownNode = null;
  function showNode(id) {
    const n = nodeById.get(id);
    if (!n) return;
    shownNode = id;
    document.body.classList.add("panel-open");
    const heading = el("h2");
    heading.append(value(n.fullLabel));
    panel.replaceChildren(heading, labelled("", n.kindLabel, "meta kind"));
    if (n.aliases.length) {
      const aliases = el("div", null, "meta aliases");
      aliases.append("Also: ", ...values(n.aliases));
      panel.appendChild(aliases);
    }
    const related = [...statementById.values()].filter((s) => s.from === id || s.to === id);
    const hidden = related.filter((s) => !statementVisible(s)).length;
    panel.appendChild(el("div", related.length + " statement" + (related.length === 1 ? "" : "s") +
      (hidden ? " (" + hidden + " hidden by the filters)" : ""), "meta total"));
    if (n.undrawn) {
      panel.appendChild(el("div", n.undrawn + " more: open question" + (n.undrawn === 1 ? "" : "s") +
        " or negated claim" + (n.undrawn === 1 ? "" : "s") + ", which are no ties and are not drawn",
        "meta undrawn"));
    }
    for (const [sign, heading] of FAMILIES) {
      const members = related.filter((s) => Math.sign(s.sign) === sign).sort(strongestFirst);
      if (!members.length) continue;
      const group = el("section", null, "family family-" + heading.toLowerCase());
      group.appendChild(el("h3", heading + " (" + members.length + ")"));
      const list = el("ol", null, "statements");
      for (const s of members) list.appendChild(statementItem(s));
      group.appendChild(list);
      panel.appendChild(group);
    }
  }

  function showEdge(id) {
    const tie = tieById.get(id);
    if (!tie) return;
    shownNode = null;
    const members = tie.statements.map((s) => statementById.get(s)).sort(strongestFirst);
    const list = el("ol", null, "statements");
    for (const s of members) list.appendChild(statementItem(s));
    document.body.classList.add("panel-open");
    panel.replaceChildren(
      tieHeading(tie),
      el("div", members.length + " statement" + (members.length === 1 ? "" : "s") + " from " +
        tie.sources + " source" + (tie.sources === 1 ? "" : "s"), "meta total"),
      list);
  }

  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  /* ------------------------------------------------------------ search and reset */

  const names = new Map();
  const datalist = byId("actor-names");
  for (const n of data.nodes) {
    for (const name of [n.fullLabel, n.label, ...n.aliases, ...n.searchNames]) {
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
    network.fit({ nodes: [id, ...neighbours], animation: false, maxZoomLevel: 1.5 });
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
    state.inferred = true;
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
    fitAll();
    shownNode = null;
    panel.replaceChildren(el("p", HINT, "hint"));
    document.body.classList.remove("panel-open");
  }
  byId("reset").addEventListener("click", reset);

  yearInput.value = String(defaultYear);
  yearOn.checked = Boolean(data.asOf);
  readYear();
  refresh(true);
})();
