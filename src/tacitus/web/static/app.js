// tacitus web app: hand-written vanilla JS + SVG over the JSON API (every view has a JSON twin under /api).
// State lives in the URL hash (#/view?filters), so every view can be bookmarked and the back button works.
"use strict";

const FILTER_KEYS = ["actor", "code", "plover_type", "quad_class", "country", "place", "since", "until", "text", "modality"];
const SVG = "http://www.w3.org/2000/svg";
const PALETTE = ["#1f5fbf", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0891b2", "#ca8a04", "#db2777",
  "#4b5563", "#65a30d", "#9333ea", "#0f766e", "#ea580c", "#2563eb", "#be123c", "#a16207", "#047857",
  "#6d28d9", "#0369a1", "#57534e"];
const QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const QUAD_COLORS = { 1: "#60a5fa", 2: "#15803d", 3: "#f59e0b", 4: "#b91c1c" };

// ------------------------------------------------------------------------------------------ helpers
function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}
const fmt = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("en"));
const num1 = (x) => (x === null || x === undefined ? "" : Number(x).toFixed(1));

async function api(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined));
  const url = "/api/" + path + (query.toString() ? "?" + query : "");
  const response = await fetch(url);
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function showError(err) {
  const box = document.getElementById("error");
  box.textContent = String(err.message || err);
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => (box.hidden = true), 6000);
}

function parseHash() {
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").map(decodeURIComponent);
  return { view: parts[0] || "timeline", arg: parts.slice(1).join("/"), params: Object.fromEntries(new URLSearchParams(query || "")) };
}

function go(view, params = {}, arg = "") {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined));
  location.hash = "#/" + view + (arg ? "/" + encodeURIComponent(arg) : "") + (query.toString() ? "?" + query : "");
}

function currentFilters() {
  const { params } = parseHash();
  const out = {};
  for (const k of FILTER_KEYS) if (params[k]) out[k] = params[k];
  return out;
}

function syncForm(params) {
  const form = document.getElementById("filters");
  for (const k of FILTER_KEYS) if (form.elements[k]) form.elements[k].value = params[k] || (k === "modality" ? "asserted" : "");
}

function panel(title, ...body) {
  return el("section", { class: "panel" }, el("h2", {}, ...(Array.isArray(title) ? title : [title])), ...body);
}

// ------------------------------------------------------------------------------------------ timeline
function pickInterval(filters) {
  if (filters.since && filters.until) {
    const days = (new Date(filters.until) - new Date(filters.since)) / 864e5;
    if (days <= 120) return "day";
    if (days <= 900) return "week";
  }
  return "month";
}

async function viewTimeline(main, params) {
  const filters = currentFilters();
  const interval = params.interval || pickInterval(filters);
  const group = params.group || "root";
  const select = (name, value, options) => el("select", { name, on: { change: (e) => go("timeline", { ...params, [name]: e.target.value }) } },
    options.map((o) => el("option", { value: o, selected: o === value ? "selected" : null }, o)));
  const chart = el("div", { class: "chart-box" }, el("div", { class: "empty" }, "loading…"));
  const table = el("div", { id: "event-table" });
  main.append(panel(["Events over time", el("span", { class: "controls" },
    el("label", {}, "per ", select("interval", interval, ["day", "week", "month", "year"])),
    el("label", {}, "by ", select("group", group, ["root", "quad", "plover", "none"])))], chart),
  panel("Events", table));
  const data = await api("stats/timeline", { ...filters, interval, group });
  chart.replaceChildren(drawTimeline(data.items, interval, group, filters));
  await eventTable(table, filters, params);
}

function drawTimeline(rows, interval, group, filters) {
  if (!rows.length) return el("div", { class: "empty" }, "No dated events match these filters.");
  const periods = fillPeriods([...new Set(rows.map((r) => r.period))].sort(), interval);
  const totals = {};
  for (const r of rows) totals[r.grp ?? "—"] = (totals[r.grp ?? "—"] || 0) + r.events;
  const groups = Object.keys(totals).sort((a, b) => (group === "quad" || group === "root" ? a.localeCompare(b) : totals[b] - totals[a]));
  const color = (g, i) => (group === "quad" ? QUAD_COLORS[g] || "#9ca3af" : PALETTE[i % PALETTE.length]);
  const colors = Object.fromEntries(groups.map((g, i) => [g, color(g, i)]));
  const stack = {};
  for (const p of periods) stack[p] = [];
  for (const r of rows) stack[r.period].push(r);
  const max = Math.max(...periods.map((p) => stack[p].reduce((s, r) => s + r.events, 0)));
  const W = 1000, H = 240, left = 44, right = 24, bottom = 22, top = 8;
  const bw = (W - left - right) / periods.length;
  const y = (v) => H - bottom - (v / max) * (H - bottom - top);
  const svg = el("svg:svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img",
    "aria-label": "event timeline" });
  for (const t of [0, 0.5, 1]) {
    svg.append(el("svg:line", { x1: left, x2: W - right, y1: y(max * t), y2: y(max * t), stroke: "#e5e7eb" }),
      el("svg:text", { x: left - 4, y: y(max * t) + 4, "text-anchor": "end" }, fmt(Math.round(max * t))));
  }
  periods.forEach((p, i) => {
    let acc = 0;
    const x = left + i * bw;
    const bar = el("svg:g", { class: "bar", "data-period": p, style: "cursor:pointer",
      on: { click: () => go("timeline", { ...filters, ...periodRange(p, interval) }) } });
    for (const r of stack[p].sort((a, b) => groups.indexOf(a.grp ?? "—") - groups.indexOf(b.grp ?? "—"))) {
      const y0 = y(acc), y1 = y(acc + r.events);
      bar.append(el("svg:rect", { x: x + bw * 0.08, width: Math.max(bw * 0.84, 3), y: y1, height: Math.max(y0 - y1, 0.5),
        fill: colors[r.grp ?? "—"] }, el("svg:title", {}, `${p} · ${r.grp ?? "all"}: ${fmt(r.events)} events`)));
      acc += r.events;
    }
    svg.append(bar);
  });
  const step = Math.max(1, Math.ceil(periods.length / 10));
  periods.forEach((p, i) => {
    if (i % step === 0) svg.append(el("svg:text", { x: left + i * bw + bw / 2, y: H - 6, "text-anchor": "middle" },
      interval === "year" ? p.slice(0, 4) : interval === "month" ? p.slice(0, 7) : p));
  });
  const label = (g) => (group === "quad" ? `${g} ${QUAD_NAMES[g] || ""}` : g);
  const legend = el("div", { class: "legend" }, groups.slice(0, 20).map((g) =>
    el("span", {}, el("i", { style: `background:${colors[g]}` }), `${label(g)} (${fmt(totals[g])})`)));
  return el("div", {}, svg, legend);
}

// every period between the first and last (empty ones too), so the x axis is real time, not a list of bars
function fillPeriods(found, interval) {
  if (found.length < 2) return found;
  const out = [];
  const last = found[found.length - 1];
  for (let d = new Date(found[0] + "T00:00:00Z"); out.length < 5000; ) {
    const iso = d.toISOString().slice(0, 10);
    if (iso > last) break;
    out.push(iso);
    if (interval === "day") d.setUTCDate(d.getUTCDate() + 1);
    else if (interval === "week") d.setUTCDate(d.getUTCDate() + 7);
    else if (interval === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCFullYear(d.getUTCFullYear() + 1);
  }
  return out.length < 5000 && found.every((p) => out.includes(p)) ? out : found;
}

function periodRange(period, interval) {
  const start = new Date(period + "T00:00:00Z");
  const end = new Date(start);
  if (interval === "day") end.setUTCDate(end.getUTCDate());
  else if (interval === "week") end.setUTCDate(end.getUTCDate() + 6);
  else if (interval === "month") { end.setUTCMonth(end.getUTCMonth() + 1); end.setUTCDate(0); }
  else { end.setUTCFullYear(end.getUTCFullYear() + 1); end.setUTCDate(0); }
  return { since: period, until: end.toISOString().slice(0, 10) };
}

async function eventTable(box, filters, params) {
  const cursors = [null];
  const sort = params.sort || "-date";
  async function load(page) {
    const data = await api("events", { ...filters, sort, limit: 25, cursor: cursors[page] || "" });
    cursors[page + 1] = data.next_cursor;
    const rows = data.items.map((ev) => el("tr", { class: "event-row" },
      el("td", { class: "date" }, ev.date || ""),
      el("td", {}, actorCell(ev.source_actor_code, ev.source_text)),
      el("td", {}, el("span", { class: "code" }, ev.cameo), " ", ev.cameo_name || "",
        ev.modality !== "asserted" ? el("span", { class: "chip" }, ev.modality) : null),
      el("td", {}, actorCell(ev.target_actor_code, ev.target_text)),
      el("td", { class: "num " + (ev.goldstein < 0 ? "neg" : "pos") }, num1(ev.goldstein)),
      el("td", {}, ev.location_name || ""),
      el("td", { class: "sentence" }, el("a", { class: "doc-link clamp", href: `#/doc/${encodeURIComponent(ev.doc_id)}?event=${encodeURIComponent(ev.id)}`,
        title: ev.title || ev.doc_id }, ev.sentence || ev.trigger_text || ev.doc_id))));
    const table = el("table", {}, el("thead", {}, el("tr", {}, ["Date", "Source", "Event", "Target", "Goldstein", "Place", "Sentence"]
      .map((h) => el("th", { class: h === "Goldstein" ? "num" : null }, h)))), el("tbody", {}, rows));
    const pager = el("div", { class: "pager" },
      el("button", { type: "button", disabled: page === 0 ? "disabled" : null, on: { click: () => load(page - 1).catch(showError) } }, "← Newer"),
      el("span", { class: "muted" }, `page ${page + 1}`),
      el("button", { type: "button", disabled: data.next_cursor ? null : "disabled", on: { click: () => load(page + 1).catch(showError) } }, "Older →"),
      el("label", { class: "muted" }, "sort ", el("select", { on: { change: (e) => go("timeline", { ...params, sort: e.target.value }) } },
        ["-date", "date", "-goldstein", "goldstein", "-confidence"].map((s) => el("option", { value: s, selected: s === sort ? "selected" : null }, s)))));
    box.replaceChildren(rows.length ? table : el("div", { class: "empty" }, "No events match these filters."), pager);
  }
  await load(0);
}

function actorCell(code, text) {
  return el("span", { title: text || "" }, code ? el("span", { class: "code" }, code) : null, " ", text || "");
}

// ------------------------------------------------------------------------------------------ network
async function viewNetwork(main) {
  const filters = currentFilters();
  const box = el("div", {}, el("div", { class: "empty" }, "loading…"));
  main.append(panel(["Who acts on whom", el("span", { class: "controls muted" },
    "edge colour: mean Goldstein (red conflict, green cooperation); width: events; click an actor to filter")], box));
  const data = await api("stats/dyads", { ...filters, limit: 50 });
  box.replaceChildren(data.items.length ? drawNetwork(data.items, filters) : el("div", { class: "empty" }, "No actor pairs match these filters."));
}

// Fruchterman-Reingold layout: nodes repel (k²/d), edges attract (d²/k), the temperature cools each step
function layout(list, edges, W, H) {
  const k = 0.7 * Math.sqrt((W * H) / Math.max(list.length, 1));
  list.forEach((n, i) => { const a = (2 * Math.PI * i) / list.length; n.x = W / 2 + (W / 3) * Math.cos(a); n.y = H / 2 + (H / 3) * Math.sin(a); });
  const gravity = 0.02 * list.length;
  for (let step = 0, temp = W / 8; step < 250; step++, temp *= 0.98) {
    for (const n of list) { n.vx = 0; n.vy = 0; }
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      const a = list[i], b = list[j];
      const dx = a.x - b.x, dy = a.y - b.y, d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.5), f = (k * k) / d;
      a.vx += (dx / d) * f; a.vy += (dy / d) * f; b.vx -= (dx / d) * f; b.vy -= (dy / d) * f;
    }
    for (const [a, b] of edges) {
      if (a === b) continue;
      const dx = a.x - b.x, dy = a.y - b.y, d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.5), f = (d * d) / k;
      a.vx -= (dx / d) * f; a.vy -= (dy / d) * f; b.vx += (dx / d) * f; b.vy += (dy / d) * f;
    }
    for (const n of list) {
      n.vx += (W / 2 - n.x) * gravity; n.vy += (H / 2 - n.y) * gravity;  // keeps loose pairs in view
      const v = Math.sqrt(n.vx * n.vx + n.vy * n.vy) || 1, move = Math.min(v, temp);
      n.x = Math.min(W - 50, Math.max(50, n.x + (n.vx / v) * move));
      n.y = Math.min(H - 20, Math.max(24, n.y + (n.vy / v) * move));
    }
  }
}

function drawNetwork(dyads, filters) {
  const nodes = new Map();
  const node = (id) => nodes.get(id) || nodes.set(id, { id, events: 0, x: 0, y: 0, vx: 0, vy: 0 }).get(id);
  for (const d of dyads) { node(d.source).events += d.events; node(d.target).events += d.events; }
  const list = [...nodes.values()];
  const W = 1000, H = 640;
  layout(list, dyads.map((d) => [nodes.get(d.source), nodes.get(d.target)]), W, H);
  const maxEvents = Math.max(...dyads.map((d) => d.events));
  const maxNode = Math.max(...list.map((n) => n.events));
  const svg = el("svg:svg", { class: "net", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "dyad network" });
  svg.append(el("svg:defs", {}, el("svg:marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 9,
    markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, el("svg:path", { d: "M0,0 L10,5 L0,10 z", fill: "#6b7280" }))));
  const radius = (n) => 5 + 14 * Math.sqrt(n.events / maxNode);
  for (const d of dyads) {
    const a = nodes.get(d.source), b = nodes.get(d.target);
    const g = d.goldstein ?? 0;
    const stroke = g < -1 ? "#b91c1c" : g > 1 ? "#15803d" : "#9ca3af";
    if (a === b) continue;
    const dx = b.x - a.x, dy = b.y - a.y, dist = Math.sqrt(dx * dx + dy * dy) || 1;
    const x2 = b.x - (dx / dist) * (radius(b) + 2), y2 = b.y - (dy / dist) * (radius(b) + 2);
    svg.append(el("svg:line", { class: "edge", x1: a.x, y1: a.y, x2, y2, stroke, "stroke-width": 1 + 6 * (d.events / maxEvents),
      "marker-end": "url(#arrow)" }, el("svg:title", {}, `${d.source} → ${d.target}: ${fmt(d.events)} events, mean Goldstein ${num1(d.goldstein)}`)));
  }
  for (const n of list) {
    svg.append(el("svg:g", { class: "node", "data-actor": n.id, on: { click: () => go("timeline", { ...filters, actor: n.id }) } },
      el("svg:circle", { cx: n.x, cy: n.y, r: radius(n) }, el("svg:title", {}, `${n.id}: ${fmt(n.events)} events`)),
      el("svg:text", { x: n.x, y: n.y - radius(n) - 3, "text-anchor": "middle" }, n.id.length > 24 ? n.id.slice(0, 22) + "…" : n.id)));
  }
  return svg;
}

// ------------------------------------------------------------------------------------------ map
let countryShapes = null;

async function viewMap(main) {
  const filters = currentFilters();
  const box = el("div", {}, el("div", { class: "empty" }, "loading…"));
  main.append(panel(["Where events happen", el("span", { class: "controls muted" },
    "countries shaded by events located there; circles: places (click to filter)")], box));
  countryShapes ||= await (await fetch("/static/countries.geo.json")).json();
  const data = await api("stats/places", { ...filters, limit: 1500 });
  box.replaceChildren(drawMap(countryShapes, data, filters));
}

function drawMap(shapes, data, filters) {
  const W = 1000, H = 500, latTop = 84, latBottom = -58;
  const px = (lon) => ((lon + 180) / 360) * W;
  const py = (lat) => ((latTop - lat) / (latTop - latBottom)) * H;
  const byNumeric = Object.fromEntries(data.countries.filter((c) => c.numeric).map((c) => [c.numeric, c]));
  const max = Math.max(1, ...data.countries.map((c) => c.events));
  const mix = (t, a, b) => Math.round(a + (b - a) * t);
  const shade = (n) => {
    if (!n) return "#e5e7eb";
    const t = 0.15 + 0.85 * (Math.log1p(n) / Math.log1p(max));
    return `rgb(${mix(t, 253, 194)},${mix(t, 236, 65)},${mix(t, 217, 12)})`;
  };
  // a ring crossing the antimeridian jumps from +180 to -180: start a new subpath there instead of a stripe
  const ring = (coords) => coords.map(([lon, lat], i) =>
    `${i === 0 || Math.abs(lon - coords[i - 1][0]) > 180 ? "M" : "L"}${px(lon).toFixed(1)},${py(lat).toFixed(1)}`).join("") + "Z";
  const svg = el("svg:svg", { class: "map", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "event map" });
  svg.append(el("svg:rect", { x: 0, y: 0, width: W, height: H, fill: "#f1f6fb" }));
  for (const f of shapes.features) {
    if (f.id === "010") continue;  // Antarctica: no events, half the map
    const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    const hit = byNumeric[f.id];
    const d = polys.map((p) => p.map(ring).join("")).join("");
    svg.append(el("svg:path", { class: "country", d, fill: shade(hit && hit.events), "data-country": hit ? hit.country : null,
      style: hit ? "cursor:pointer" : null, on: hit ? { click: () => go("timeline", { ...filters, country: hit.country }) } : {} },
      el("svg:title", {}, `${f.properties.name}${hit ? ": " + fmt(hit.events) + " events" : ""}`)));
  }
  const maxPoint = Math.max(1, ...data.points.map((p) => p.events));
  for (const p of [...data.points].sort((a, b) => b.events - a.events)) {
    svg.append(el("svg:circle", { class: "point", cx: px(p.lon), cy: py(p.lat), r: 2 + 12 * Math.sqrt(p.events / maxPoint),
      "data-place": p.name || null, on: p.name ? { click: () => go("timeline", { ...filters, place: p.name }) } : {} },
      el("svg:title", {}, `${p.name || "?"}: ${fmt(p.events)} events, mean Goldstein ${num1(p.goldstein)}`)));
  }
  const list = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Country"), el("th", { class: "num" }, "Events"))),
    el("tbody", {}, data.countries.slice(0, 12).map((c) => el("tr", {}, el("td", {}, el("a", { href: "#/timeline?" +
      new URLSearchParams({ ...filters, country: c.country }) }, c.name)), el("td", { class: "num" }, fmt(c.events))))));
  return el("div", { class: "split" }, svg, el("div", {}, data.countries.length ? list : el("div", { class: "empty" }, "No located events.")));
}

// ------------------------------------------------------------------------------------------ quotes
async function viewQuotes(main, params) {
  const speakerBox = el("div", { class: "side" });
  const quoteBox = el("div", {});
  const search = el("input", { placeholder: "speaker name", value: params.speaker || "", size: 18 });
  search.addEventListener("change", () => go("quotes", { ...params, speaker: search.value }));
  main.append(el("div", { class: "split quotes" },
    panel(["Speakers", search], speakerBox), panel(params.speaker ? `Quotes by “${params.speaker}”` : "Latest quotes", quoteBox)));
  const [speakers, quotes] = await Promise.all([
    api("quotes/speakers", { name: params.speaker || "", limit: 200 }),
    api("quotes", { speaker: params.speaker || "", limit: 100 }),
  ]);
  speakerBox.replaceChildren(el("ul", { class: "speakers" }, speakers.items.map((s) =>
    el("li", { class: s.speaker === params.speaker ? "selected" : null, on: { click: () => go("quotes", { speaker: s.speaker }) } },
      el("span", {}, s.speaker, s.actor_code ? el("span", { class: "code" }, " " + s.actor_code) : null),
      el("span", { class: "muted" }, fmt(s.quotes))))));
  quoteBox.replaceChildren(...(quotes.items.length ? quotes.items.map((q) => el("blockquote", {}, q.text,
    el("footer", {}, "— ", q.speaker_name || q.speaker_text || "unknown", q.cue_text ? ` (${q.cue_text})` : "", " · ", q.date, " · ",
      el("a", { href: `#/doc/${encodeURIComponent(q.doc_id)}?quote=${encodeURIComponent(q.id)}` }, q.title || q.doc_id))))
    : [el("div", { class: "empty" }, "No quotes found.")]));
}

// ------------------------------------------------------------------------------------------ actors
async function viewActors(main, params) {
  const box = el("div", {}, el("div", { class: "empty" }, "loading…"));
  const name = el("input", { name: "name", placeholder: "name contains", value: params.name || "", size: 18 });
  const type = el("select", { name: "type" }, ["", "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"].map((t) =>
    el("option", { value: t, selected: t === (params.type || "") ? "selected" : null }, t || "any type")));
  const code = el("input", { name: "actor", placeholder: "code prefix", value: params.actor || "", size: 8 });
  const form = el("form", { class: "controls", on: { submit: (e) => { e.preventDefault();
    go("actors", { name: name.value.trim(), type: type.value, actor: code.value.trim().toUpperCase() }); } } },
    name, type, code, el("button", { type: "submit" }, "Search"));
  main.append(panel(["Actors and entities", form], box));
  const data = await api("entities", { name: params.name || "", type: params.type || "", actor: params.actor || "", limit: 200 });
  box.replaceChildren(data.items.length ? el("table", {}, el("thead", {}, el("tr", {}, ["Name", "Type", "Actor code", "Titles", "Documents", "Mentions"]
    .map((h) => el("th", { class: ["Documents", "Mentions"].includes(h) ? "num" : null }, h)))),
  el("tbody", {}, data.items.map((e) => el("tr", { class: "actor-row" },
    el("td", {}, el("a", { href: "#/timeline?" + new URLSearchParams({ actor: e.actor_code || e.name }), title: "events of this actor" }, e.name)),
    el("td", {}, e.type), el("td", {}, e.actor_code ? el("span", { class: "code" }, e.actor_code) : ""),
    el("td", { class: "muted" }, (e.titles || []).join(", ")),
    el("td", { class: "num" }, fmt(e.documents)), el("td", { class: "num" }, fmt(e.mentions))))))
    : el("div", { class: "empty" }, "No entities match."));
}

// ------------------------------------------------------------------------------------------ documents
async function viewDocuments(main, params) {
  const offset = Number(params.offset || 0);
  const box = el("div", {});
  main.append(panel("Documents", box));
  const data = await api("documents", { text: currentFilters().text || "", since: currentFilters().since || "",
    until: currentFilters().until || "", limit: 50, offset });
  box.replaceChildren(el("table", {}, el("thead", {}, el("tr", {}, ["Date", "Title", "Source", "Events", "Quotes"].map((h) => el("th", {}, h)))),
    el("tbody", {}, data.items.map((d) => el("tr", {}, el("td", {}, d.date),
      el("td", {}, el("a", { href: `#/doc/${encodeURIComponent(d.id)}` }, d.title || d.id)), el("td", {}, d.source || ""),
      el("td", { class: "num" }, fmt(d.events)), el("td", { class: "num" }, fmt(d.quotes)))))),
  el("div", { class: "pager" },
    el("button", { type: "button", disabled: offset ? null : "disabled", on: { click: () => go("documents", { ...params, offset: Math.max(0, offset - 50) }) } }, "← Newer"),
    el("button", { type: "button", disabled: data.items.length < 50 ? "disabled" : null, on: { click: () => go("documents", { ...params, offset: offset + 50 }) } }, "Older →")));
}

async function viewDocument(main, docId, params) {
  const doc = await api("documents/" + encodeURIComponent(docId));
  const text = doc.document.text;
  const spans = [];
  for (const e of doc.entities) for (const m of e.mentions || []) spans.push({ start: m.start, end: m.end, cls: `ent ent-${e.type}`, title: `${e.name} (${e.type}${e.actor ? ", " + e.actor.code : ""})` });
  for (const q of doc.quotes) spans.push({ start: q.start, end: q.end, cls: "quote", quote: q.id });
  for (const ev of doc.events) spans.push({ start: ev.trigger.start, end: ev.trigger.end, cls: "trig", event: ev.id, title: `${ev.cameo} ${ev.cameo_name || ""}` });
  const selected = doc.events.find((ev) => ev.id === params.event);
  if (selected) {
    spans.push({ start: selected.sentence.start, end: selected.sentence.end, cls: "sent" });
    if (selected.source) spans.push({ start: selected.source.start, end: selected.source.end, cls: "src", title: "source" });
    if (selected.target) spans.push({ start: selected.target.start, end: selected.target.end, cls: "tgt", title: "target" });
  }
  const textBox = el("div", { class: "doc-text" }, renderSpans(text, spans, selected));
  const detail = el("div", { class: "detail" }, selected ? eventDetail(selected, text, doc.times) : el("div", { class: "muted" }, "Click a highlighted event trigger or an event below."));
  const pick = (id) => go("doc", { event: id }, docId);
  const events = el("ul", {}, doc.events.map((ev) => el("li", { class: ev === selected ? "selected" : null, "data-event": ev.id, on: { click: () => pick(ev.id) } },
    el("span", { class: "code" }, ev.cameo), " ", ev.source ? ev.source.actor_code || ev.source.text : "?", " → ",
    ev.target ? ev.target.actor_code || ev.target.text : "—", " ", el("span", { class: "muted" }, ev.trigger.text))));
  const quotes = el("ul", {}, doc.quotes.map((q) => el("li", { on: { click: () => scrollToOffset(textBox, q.start) } },
    el("b", {}, (q.speaker && (q.speaker.name || q.speaker.text)) || "?"), ": ", q.text.length > 90 ? q.text.slice(0, 88) + "…" : q.text)));
  const entities = el("div", {}, doc.entities.map((e) => el("span", { class: "chip", title: e.type }, e.name, e.actor ? " · " + e.actor.code : "")));
  textBox.addEventListener("click", (e) => { const t = e.target.closest("[data-event]"); if (t) pick(t.dataset.event.split(" ")[0]); });
  main.append(el("div", { class: "split" },
    panel([doc.document.title || doc.document.id, el("span", { class: "controls muted" }, doc.document.date, " ", doc.document.source || "",
      doc.document.url ? el("a", { href: doc.document.url, target: "_blank", rel: "noopener" }, "original") : null)], textBox),
    el("div", { class: "side" }, panel("Event", detail), panel(`Events (${doc.events.length})`, events),
      panel(`Quotes (${doc.quotes.length})`, quotes), panel(`Entities (${doc.entities.length})`, entities))));
  const focus = textBox.querySelector(".trig.selected");
  if (focus) focus.scrollIntoView({ block: "center" });
  else if (params.quote) { const q = doc.quotes.find((x) => x.id === params.quote); if (q) scrollToOffset(textBox, q.start); }
}

function renderSpans(text, spans, selected) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) if (s.start >= 0 && s.end <= text.length && s.end > s.start) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const covering = spans.filter((s) => s.start <= a && s.end >= b && s.end > s.start);
    const piece = text.slice(a, b);
    if (!covering.length) { frag.append(piece); continue; }
    const classes = new Set(covering.flatMap((s) => s.cls.split(" ")));
    const events = covering.filter((s) => s.event).map((s) => s.event);
    if (selected && events.includes(selected.id)) classes.add("selected");
    frag.append(el("span", { class: [...classes].join(" "), "data-offset": a, "data-event": events.length ? events.join(" ") : null,
      title: covering.map((s) => s.title).filter(Boolean).join("; ") || null }, piece));
  }
  return frag;
}

function scrollToOffset(box, offset) {
  const spans = [...box.querySelectorAll("[data-offset]")];
  const hit = spans.find((s) => Number(s.dataset.offset) >= offset);
  if (hit) hit.scrollIntoView({ block: "center" });
}

function dateReason(ev, times) {
  if (!ev.date_text) return "no time expression in the sentence: the document date";
  const t = (times || []).find((x) => x.text === ev.date_text && x.start >= ev.sentence.start && x.end <= ev.sentence.end);
  const how = t ? ` → ${t.value || "?"}${t.anchor ? ", resolved from " + t.anchor : ""}` : "";
  return `“${ev.date_text}”${how}`;
}

function eventDetail(ev, text, times) {
  const span = (s) => (s ? `“${s.text}” [${s.start}–${s.end}]` : "—");
  const actor = (s) => (s ? [s.actor_code ? el("span", { class: "code" }, s.actor_code) : null, " ", span(s)] : "—");
  const rows = [
    ["Event", [el("span", { class: "code" }, ev.cameo), " ", ev.cameo_name || ""]],
    ["Root / base", `${ev.root_code} / ${ev.base_code}`],
    ["QuadClass", ev.quad_class ? `${ev.quad_class} ${QUAD_NAMES[ev.quad_class] || ""}` : "—"],
    ["Goldstein", num1(ev.goldstein)],
    ["PLOVER", [ev.plover.type || "—", ev.plover.mode ? " / " + ev.plover.mode : "", ...(ev.plover.contexts || []).map((c) => el("span", { class: "chip" }, c))]],
    ["Source", actor(ev.source)], ["Target", actor(ev.target)], ["Trigger", span(ev.trigger)],
    ["Date", ev.date ? `${ev.date} (${ev.date_precision || "?"})` : "—"],
    ["Date from", dateReason(ev, times)],
    ["Place", ev.location ? `${ev.location.name || ev.location.text}${ev.location.country ? " (" + ev.location.country + ")" : ""}` : "—"],
    ["Modality", ev.modality + (ev.negated ? " (negated)" : "")], ["Confidence", ev.confidence === null ? "—" : Number(ev.confidence).toFixed(2)],
  ];
  return el("div", {}, el("p", { class: "sentence" }, text.slice(ev.sentence.start, ev.sentence.end)),
    el("dl", {}, rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
}

// ------------------------------------------------------------------------------------------ router
const VIEWS = { timeline: viewTimeline, network: viewNetwork, map: viewMap, quotes: viewQuotes, actors: viewActors,
  documents: viewDocuments };

async function route() {
  const { view, arg, params } = parseHash();
  syncForm(params);
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.view === view);
  document.getElementById("filters").hidden = ["doc", "quotes", "actors"].includes(view);
  const main = document.getElementById("view");
  main.replaceChildren();
  main.dataset.view = view;
  main.dataset.ready = "";
  try {
    if (view === "doc") await viewDocument(main, arg, params);
    else await (VIEWS[view] || viewTimeline)(main, params);
  } catch (err) {
    showError(err);
  }
  main.dataset.ready = "1";
}

document.getElementById("filters").addEventListener("submit", (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const { view, params } = parseHash();
  const next = {};
  for (const k of FILTER_KEYS) { const v = String(form.get(k) ?? params[k] ?? "").trim(); if (v && !(k === "modality" && v === "asserted")) next[k] = v; }
  for (const k of ["interval", "group", "sort"]) if (params[k]) next[k] = params[k];
  go(["network", "map", "timeline", "documents"].includes(view) ? view : "timeline", next);
});
document.getElementById("reset").addEventListener("click", () => go(parseHash().view === "doc" ? "timeline" : parseHash().view));
window.addEventListener("hashchange", route);
api("health").then((h) => { document.getElementById("status").textContent = `${fmt(h.documents)} documents · ${fmt(h.events)} events`; }).catch(showError);
route();
