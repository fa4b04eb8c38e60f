/* metrikk dashboard, shared helpers: DOM, numbers in Norwegian, colours per category, charts,
   tables, and the view kept in the address (reload and share give the same view). */
"use strict";

/* Colours: one per category everywhere. Known code lists get fixed colours; any other category
   (an avdeling) gets the colour its NAME hashes to, so the same avdeling has the same colour on
   every kontor and in every chart. Two names that hash alike in one chart: the second is hatched. */
const PALETTE = ["#0067c5", "#ff9100", "#06893a", "#c30000", "#634689", "#005b82", "#c77300",
  "#66a3c4", "#a8336b", "#3f8f6e", "#7f6c00", "#262626", "#d05c4a", "#1f4e9c", "#8a5a00",
  "#5a8a00", "#b05fb0", "#007c80", "#9c4a1f", "#4a5ea8"];
const FIXED_COLOURS = {
  innsatsgruppe: ["GODE_MULIGHETER", "TRENGER_VEILEDNING", "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "JOBBE_DELVIS", "LITEN_MULIGHET_TIL_A_JOBBE", "UKJENT"],
  tiltakskategori: ["GRUPPE", "ENKELTPLASS", "ARBEIDSGIVER", "EGEN_REGI"],
};
const ANDRE_COLOUR = "#9aa1ab";
const nf = new Intl.NumberFormat("nb-NO", { maximumFractionDigits: 1 });
const pf = new Intl.NumberFormat("nb-NO", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function $(sel, root) { return (root || document).querySelector(sel); }
function $all(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function hashName(text) {
  let h = 2166136261;  // FNV-1a, 32 bits
  for (const ch of String(text)) { h ^= ch.codePointAt(0); h = Math.imul(h, 16777619) >>> 0; }
  return h;
}
function colourIndex(dim, verdi) {
  const fixed = FIXED_COLOURS[dim];
  if (fixed && fixed.includes(verdi)) return fixed.indexOf(verdi);
  return hashName(`${verdi}`) % PALETTE.length;
}
function colourFor(dim, verdi) { return PALETTE[colourIndex(dim, verdi)]; }
/** Marker for each series of one chart: its colour, hatched when an earlier series has it. */
function markers(dim, values) {
  const seen = new Set();
  return values.map((v) => {
    if (v === null) return { color: ANDRE_COLOUR };
    const c = colourFor(dim, v);
    const m = seen.has(c) ? { color: c, pattern: { shape: "/", fgcolor: "#ffffff", solidity: 0.3 } } : { color: c };
    seen.add(c);
    return m;
  });
}

/* Numbers as Norwegian readers write them; «<5» (a hidden count) and null as they are. */
function fmt(v, pct) {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "–";
  return pct ? pf.format(v) : nf.format(v);
}
function signed(v, pct) {
  if (v === null || v === undefined) return "–";
  const s = fmt(Math.abs(v), pct);
  return v > 0 ? `+${s}` : v < 0 ? `−${s}` : s;
}
/** «1 uke», «2 uker»: Norwegian singular and plural. */
function plural(n, one, many) { return `${fmt(n)} ${n === 1 ? one : many}`; }
function persons(n) { return typeof n === "number" ? plural(n, "unik person", "unike personer") : `${n} unike personer`; }

async function getJSON(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error((body && body.feil) || `Feil fra serveren (${r.status}).`);
  return body;
}

/** The error next to the fields it is about (each form has its own #feilmelding). */
function showError(msg, fields) {
  const box = $("#feilmelding");
  $all("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
  if (!box) return;
  if (!msg) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = msg;
  box.hidden = false;
  (fields || []).forEach((f) => f && f.setAttribute("aria-invalid", "true"));
}

/* The view in the address: every choice as a query parameter, replaced on each draw. */
function readQuery() { return new URLSearchParams(window.location.search); }
function writeQuery(params) {
  const url = `${window.location.pathname}?${params}`;
  if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
}

/** A chart in Norwegian: plotly's "no" locale (toolbar, decimal comma, space for thousands),
 * whole-number ticks for counts, axes that make room for their labels. */
function plot(div, traces, layout, opts) {
  const o = opts || {};
  const base = {
    margin: { t: 16, r: 24, b: 48, l: 64 },
    font: { family: "Source Sans 3, Arial, sans-serif", size: 14, color: "#23262a" },
    legend: { orientation: "h", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom", traceorder: "normal" },
    paper_bgcolor: "#fff", plot_bgcolor: "#fff",
    separators: ",\u00a0",
    xaxis: { type: "category", automargin: true },
    yaxis: { rangemode: "tozero", gridcolor: "#e0e3e6", automargin: true, separatethousands: true },
  };
  const merged = Object.assign({}, base, layout || {});
  merged.xaxis = Object.assign({}, base.xaxis, (layout || {}).xaxis);
  merged.yaxis = Object.assign({}, base.yaxis, (layout || {}).yaxis);
  const countAxis = o.horizontal ? merged.xaxis : merged.yaxis;
  if (o.counts !== false) {
    // Counts are whole numbers: never a 0,5 tick.
    const values = traces.flatMap((t) => (o.horizontal ? t.x : t.y) || []).filter((v) => typeof v === "number");
    const top = values.length ? Math.max(...values) : 0;
    countAxis.tickformat = countAxis.tickformat || ",d";
    if (top < 8 && !countAxis.range) { countAxis.dtick = 1; countAxis.range = [0, Math.max(1, top) * 1.1]; }
    countAxis.separatethousands = true;
  }
  if (!window.Plotly) return Promise.resolve();
  return window.Plotly.react(div, traces, merged, {
    responsive: true, displaylogo: false, locale: "no", modeBarButtonsToRemove: ["lasso2d", "select2d"],
    toImageButtonOptions: { filename: o.filename || "diagram" },
  });
}

/** A table: caption, header (wrapped), a row header column that stays put when the table
 * scrolls sideways, an optional total row, and no inner vertical scroll. */
function table(container, caption, header, rows, footer, opts) {
  const o = opts || {};
  const t = el("table");
  t.appendChild(el("caption", {}, caption));
  const thead = el("thead"); const tr = el("tr");
  header.forEach((h, i) => {
    const th = el("th", { scope: "col" });
    if (h && h.node) th.appendChild(h.node); else th.textContent = h && h.text !== undefined ? h.text : h;
    if (h && h.sort) th.setAttribute("aria-sort", h.sort);
    if (i === 0) th.className = "rowhead";
    tr.appendChild(th);
  });
  thead.appendChild(tr); t.appendChild(thead);
  const tbody = el("tbody");
  const addRow = (r, cls) => {
    const row = el("tr", cls ? { class: cls } : {});
    r.forEach((c, i) => {
      const text = c && typeof c === "object" ? c.text : c;
      const cell = i === 0 ? el("th", { scope: "row", class: "rowhead" }, text) : el("td", {}, text);
      if (c && typeof c === "object") {
        if (c.value !== undefined) cell.dataset.value = c.value;
        if (c.cls) cell.className = `${cell.className} ${c.cls}`.trim();
        if (c.title) cell.title = c.title;
        if (c.node) cell.replaceChildren(c.node);
      }
      row.appendChild(cell);
    });
    tbody.appendChild(row);
  };
  rows.forEach((r) => addRow(r.cells || r, r.cls));
  if (footer) addRow(footer, "sum");
  t.appendChild(tbody);
  container.replaceChildren(t);
  if (o.caption === false) t.caption.classList.add("visually-hidden");
  fitTable(container);
  return t;
}

/** A table that fits its box needs no scroll box at all: then its header sticks to the top of
 * the window while the page scrolls. A wider table scrolls sideways with its first column fixed. */
function fitTable(container) {
  container.classList.remove("fits");
  const t = container.querySelector("table");
  if (t && t.scrollWidth <= container.clientWidth + 1) container.classList.add("fits");
}
window.addEventListener("resize", () => $all(".table-wrap").forEach(fitTable));

function cell(v, pct) {
  if (typeof v === "string") return { text: v, value: "" };
  if (v === null || v === undefined) return { text: "–", value: "" };
  return { text: fmt(v, pct), value: String(v) };
}
/** A count for a chart: a hidden count («<K» under --min-antall) is a gap, not a bar. */
function num(v) { return typeof v === "number" ? v : null; }

function setExport(prefix, api, params, withXlsx) {
  const exp = new URLSearchParams(params);
  exp.set("format", "csv");
  const csv = $(`#csv-${prefix}`); if (csv) csv.href = `${api}?${exp}`;
  exp.set("format", "xlsx");
  const xlsx = $(`#xlsx-${prefix}`); if (xlsx && withXlsx !== false) xlsx.href = `${api}?${exp}`;
  const json = $(`#json-${prefix}`); if (json) json.href = `${api}?${params}`;
}

/** A help text as a small «?» that opens (the same markup as templates/_hjelp.html). */
function helpNode(term, text) {
  const d = el("details", { class: "hjelp" });
  const s = el("summary");
  s.appendChild(el("span", { "aria-hidden": "true" }, "?"));
  s.appendChild(el("span", { class: "visually-hidden" }, `Hva betyr «${term}»?`));
  d.appendChild(s);
  d.appendChild(el("p", {}, text));
  return d;
}

/** Another kontor: the same view for it (every choice kept but the avdelinger, which belong
 * to a kontor). */
function kontorSelect(path) {
  const sel = $("#kontor");
  if (!sel) return;
  sel.addEventListener("change", (e) => {
    const q = readQuery();
    q.delete("avdeling");
    if (e.target.value) q.set("kontor", e.target.value); else q.delete("kontor");
    const query = q.toString();
    window.location.assign(`${path}${query ? `?${query}` : ""}`);
  });
}
