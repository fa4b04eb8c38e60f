/* metrikk dashboard: every chart and table is drawn from the page's JSON twin under /api/v1. */
"use strict";

const PALETTE = ["#0067c5", "#ff9100", "#06893a", "#c30000", "#634689", "#005b82", "#c77300",
  "#66a3c4", "#a8336b", "#3f8f6e", "#7f6c00", "#262626"];
const nf = new Intl.NumberFormat("nb-NO");
const pf = new Intl.NumberFormat("nb-NO", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const WEEK_RE = /^\s*(\d{4})\s*-?\s*[WwUu]\s*(\d{1,2})\s*$/;

function $(sel, root) { return (root || document).querySelector(sel); }
function $all(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function weeksInYear(y) {
  // ISO: a year has 53 weeks when 28 December falls in week 53.
  const d = new Date(Date.UTC(y, 11, 28));
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  return 1 + Math.round(((d - firstThursday) / 864e5 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
}
function weekKey(text) {
  const m = WEEK_RE.exec(text || "");
  return m ? [parseInt(m[1], 10), parseInt(m[2], 10)] : null;
}
/** A Norwegian message for a bad week, or null. */
function checkWeek(text, what, siste) {
  if (!text) return null;
  const k = weekKey(text);
  if (!k) return `${what}: «${text}» er ikke en uke. Skriv år og uke som 2025-U42.`;
  const [y, w] = k;
  const n = weeksInYear(y);
  if (w < 1 || w > n) {
    return w === 53 ? `${what}: uke 53 finnes ikke i ${y} – året har bare ${n} uker.`
      : `${what}: uke ${w} finnes ikke; ${y} har uke 1–${n}.`;
  }
  const s = weekKey(siste);
  if (s && (y > s[0] || (y === s[0] && w > s[1]))) {
    return `${what}: ${y}-U${String(w).padStart(2, "0")} er etter siste uke med data (${siste}).`;
  }
  return null;
}

async function getJSON(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new Error((body && body.feil) || `Feil fra serveren (${r.status}).`);
  return body;
}

function showError(msg, fields) {
  const box = $("#feilmelding");
  $all("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
  if (!msg) { box.hidden = true; box.textContent = ""; return; }
  box.textContent = msg;
  box.hidden = false;
  (fields || []).forEach((f) => f && f.setAttribute("aria-invalid", "true"));
}

function plot(div, traces, layout) {
  const base = {
    margin: { t: 16, r: 16, b: 40, l: 60 },
    font: { family: "Source Sans 3, Arial, sans-serif", size: 14, color: "#23262a" },
    legend: { orientation: "h", x: 0, y: 1.02, xanchor: "left", yanchor: "bottom", traceorder: "normal" },
    paper_bgcolor: "#fff", plot_bgcolor: "#fff",
    xaxis: { type: "category", automargin: true },
    yaxis: { rangemode: "tozero", gridcolor: "#e0e3e6", automargin: true, separatethousands: true },
  };
  const merged = Object.assign({}, base, layout || {});
  merged.xaxis = Object.assign({}, base.xaxis, (layout || {}).xaxis);
  merged.yaxis = Object.assign({}, base.yaxis, (layout || {}).yaxis);
  if (window.Plotly) {
    return window.Plotly.react(div, traces, merged,
      { responsive: true, displaylogo: false, locale: "nb", modeBarButtonsToRemove: ["lasso2d", "select2d"] });
  }
  return Promise.resolve();
}

function table(container, caption, header, rows, footer) {
  const t = el("table");
  t.appendChild(el("caption", {}, caption));
  const thead = el("thead"); const tr = el("tr");
  header.forEach((h) => tr.appendChild(el("th", { scope: "col" }, h)));
  thead.appendChild(tr); t.appendChild(thead);
  const tbody = el("tbody");
  const addRow = (r, cls) => {
    const row = el("tr", cls ? { class: cls } : {});
    r.forEach((c, i) => {
      const cell = i === 0 ? el("th", { scope: "row" }, c.text ?? c) : el("td", {}, c.text ?? c);
      if (c.value !== undefined) cell.dataset.value = c.value;
      if (c.cls) cell.className = c.cls;
      row.appendChild(cell);
    });
    tbody.appendChild(row);
  };
  rows.forEach((r) => addRow(r));
  if (footer) addRow(footer, "sum");
  t.appendChild(tbody);
  container.replaceChildren(t);
}

/** A count for a chart: a hidden count («<K» under --min-antall) is a gap, not a bar. */
function num(v) { return typeof v === "number" ? v : null; }

function cell(v, pct) {
  if (typeof v === "string") return { text: v, value: "" };
  if (v === null || v === undefined) return { text: "–", value: "" };
  return { text: pct ? pf.format(v) : nf.format(v), value: String(v) };
}

/* ---------------- Tiltak page ---------------- */

const assigned = new Map();
/** The same colour for the same series value in every chart (both periods, every redraw). */
function colorFor(dim, verdi) {
  const boxes = $all(`input[type=checkbox][name="${dim}"]`).map((b) => b.value);
  let i = boxes.indexOf(String(verdi));
  if (i < 0) {
    const key = `${dim}\u0000${verdi}`;
    if (!assigned.has(key)) assigned.set(key, [...assigned.keys()].filter((k) => k.startsWith(`${dim}\u0000`)).length);
    i = assigned.get(key);
  }
  return PALETTE[i % PALETTE.length];
}
function shorten(text, n) { return text.length > n ? `${text.slice(0, n - 1)}…` : text; }
/** Order `values` like `reference` (the first period), unknown values last in their own order. */
function alignTo(values, reference) {
  if (!reference) return values;
  const pos = new Map(reference.map((v, i) => [v.verdi, i]));
  return [...values].sort((a, b) => (pos.has(a.verdi) ? pos.get(a.verdi) : 1e9) - (pos.has(b.verdi) ? pos.get(b.verdi) : 1e9));
}

function tiltakState(form) {
  const fd = new FormData(form);
  const s = {
    kontor: form.dataset.kontor, fra: fd.get("fra").trim(), til: fd.get("til").trim(),
    sammenlign: !!fd.get("sammenlign"), fra2: fd.get("fra2").trim(), til2: fd.get("til2").trim(),
    x: fd.get("x"), serie: fd.get("serie"), visning: fd.get("visning"), sorter: fd.get("sorter"),
    filters: {},
  };
  for (const name of ["avdeling", "innsatsgruppe", "tiltakskode"]) {
    const boxes = $all(`input[name="${name}"]`, form);
    const checked = boxes.filter((b) => b.checked).map((b) => b.value);
    s.filters[name] = { all: checked.length === boxes.length, none: checked.length === 0, values: checked };
  }
  return s;
}

function tiltakParams(s, fra, til) {
  const p = new URLSearchParams();
  p.set("kontor", s.kontor);
  if (fra) p.set("fra", fra);
  if (til) p.set("til", til);
  p.append("gruppering", s.x);
  if (s.serie && s.serie !== s.x) p.append("gruppering", s.serie);
  p.set("sorter", s.sorter);
  for (const [name, f] of Object.entries(s.filters)) {
    if (!f.all) f.values.forEach((v) => p.append(name, v));
  }
  return p;
}

function renderTiltak(which, data, s, reference) {
  const dims = data.gruppering;
  const x = dims[0];
  const ser = dims.length > 1 ? dims[1] : null;
  const pct = s.visning === "prosent";
  // When comparing, the second period keeps the first period's order so the eye can match them.
  const xVals = x === "uke" ? data.verdier[x] : alignTo(data.verdier[x], reference && reference.verdier[x]);
  const sVals = ser ? alignTo(data.verdier[ser], reference && reference.verdier[ser]) : [{ verdi: null, navn: "Antall personer" }];
  const byKey = new Map();
  data.rader.forEach((r) => byKey.set(`${r[x]}\u0000${ser ? r[ser] : ""}`, r));
  const get = (xv, sv) => byKey.get(`${xv}\u0000${ser ? sv : ""}`);

  const traces = sVals.map((sv, i) => {
    const rows = xVals.map((xv) => get(xv.verdi, sv.verdi));
    return {
      type: "bar", name: sv.navn, x: xVals.map((v) => v.navn),
      y: rows.map((r) => (r.skjult ? null : pct ? r.andel : r.antall)),
      customdata: rows.map((r) => (r.skjult ? r.antall : pct ? `${pf.format(r.andel ?? 0)} %` : nf.format(r.antall))),
      hovertemplate: `%{x}<br>${sv.navn}: %{customdata}<extra></extra>`,
      marker: { color: ser ? colorFor(ser, sv.verdi) : PALETTE[i % PALETTE.length] },
    };
  });
  const chart = $(`#chart-${which}`);
  const label = pct ? "Andel (%)" : "Antall personer";
  chart.setAttribute("aria-label",
    `${s.visning === "gruppert" ? "Gruppert" : pct ? "Prosentvis stablet" : "Stablet"} søylediagram: ${label} per ${data.gruppering_navn[0].toLowerCase()}` +
    (ser ? `, delt opp etter ${data.gruppering_navn[1].toLowerCase()}` : "") + `, ${data.periode.fra}–${data.periode.til}. Tallene står i tabellen under.`);
  const done = plot(chart, traces, {
    barmode: s.visning === "gruppert" ? "group" : "stack",
    showlegend: !!ser,
    yaxis: pct ? { title: { text: label }, range: [0, 100], ticksuffix: " %" } : { title: { text: label } },
    xaxis: { title: { text: data.gruppering_navn[0] }, tickvals: xVals.map((v) => v.navn),
      ticktext: xVals.map((v) => shorten(v.navn, 18)) },
  });

  const header = [data.gruppering_navn[0]].concat(ser ? sVals.map((v) => v.navn) : [pct ? "Andel (%)" : "Antall personer"]);
  const totals = new Map(data.totalt_per.map((t) => [t[x], t.antall]));
  if (ser && !pct) header.push("Totalt (unike personer)");
  const rows = xVals.map((xv) => {
    const r = [xv.navn];
    sVals.forEach((sv) => {
      const row = get(xv.verdi, sv.verdi);
      r.push(row.skjult ? cell(row.antall) : cell(pct ? row.andel : row.antall, pct));
    });
    if (ser && !pct) r.push(cell(totals.get(xv.verdi)));
    return r;
  });
  const footer = !pct ? (ser ? null : ["Totalt (unike personer)", cell(data.totalt)]) : null;
  let caption = `${label} per ${data.gruppering_navn[0].toLowerCase()}` + (ser ? ` og ${data.gruppering_navn[1].toLowerCase()}` : "") +
    `, ${data.kontor.navn}, ${data.periode.fra}–${data.periode.til}.`;
  if (ser && !pct) caption += ` Totalt for hele perioden: ${typeof data.totalt === "string" ? data.totalt : nf.format(data.totalt)} unike personer.`;
  table($(`#tabell-${which}`), caption, header, rows, footer);
  $(`#tittel-${which}`).textContent = `${which === "a" ? "Periode" : "Sammenligning"} ${data.periode.fra} – ${data.periode.til}`;
  return done;
}

function setupTiltak(form) {
  const siste = form.dataset.siste;
  const forste = form.dataset.forste;
  let seq = 0;
  $("#kontor").addEventListener("change", (e) => {
    window.location.assign(`/tiltak?kontor=${encodeURIComponent(e.target.value)}`);
  });
  $("#sammenlign").addEventListener("change", (e) => { $("#periode2").hidden = !e.target.checked; });
  $all(".velg-alle", form).forEach((b) => b.addEventListener("click", () => {
    $all(`input[name="${b.dataset.target}"]`, form).forEach((c) => { c.checked = true; });
    refresh();
  }));

  async function refresh() {
    const s = tiltakState(form);
    const problems = [];
    const bad = [];
    for (const [name, what] of [["fra", "Fra uke"], ["til", "Til uke"], ["fra2", "Sammenlign fra uke"], ["til2", "Sammenlign til uke"]]) {
      if ((name === "fra2" || name === "til2") && !s.sammenlign) continue;
      const m = checkWeek(s[name], what, siste);
      if (m) { problems.push(m); bad.push($(`#${name}`)); }
    }
    for (const [name, what] of [["avdeling", "avdeling"], ["innsatsgruppe", "innsatsgruppe"], ["tiltakskode", "tiltak"]]) {
      if (s.filters[name].none) problems.push(`Velg minst én ${what}, eller trykk «Velg alle».`);
    }
    if (s.sammenlign && (!s.fra2 || !s.til2)) {
      problems.push("Oppgi både fra og til uke for perioden du vil sammenligne med.");
      bad.push(!s.fra2 ? $("#fra2") : $("#til2"));
    }
    if (problems.length) { showError(problems.join(" "), bad); return; }
    showError(null);
    const my = ++seq;
    const periods = [["a", s.fra, s.til]];
    if (s.sammenlign) periods.push(["b", s.fra2, s.til2]);
    $("#periode-b").hidden = !s.sammenlign;
    try {
      const results = await Promise.all(periods.map(([w, f, t]) => {
        const url = `/api/v1/tiltak/uker?${tiltakParams(s, f, t)}`;
        return getJSON(url).then((d) => ({ w, d, url }));
      }));
      if (my !== seq) return;
      const draws = [];
      for (const { w, d, url } of results) {
        draws.push(renderTiltak(w, d, s, w === "b" ? results[0].d : null));
        const sec = $(`#periode-${w}`);
        sec.dataset.apiUrl = url;
        const exp = new URLSearchParams(url.split("?")[1]);
        exp.set("visning", s.visning === "prosent" ? "prosent" : "antall");
        exp.set("format", "csv"); $(`#csv-${w}`).href = `/api/v1/tiltak/uker?${exp}`;
        exp.set("format", "xlsx"); $(`#xlsx-${w}`).href = `/api/v1/tiltak/uker?${exp}`;
        $(`#json-${w}`).href = url;
      }
      await Promise.all(draws);
      if (window.Plotly) {
        // The grid may have changed from one to two columns: fit both charts to their boxes.
        await Promise.all(results.map(({ w }) => window.Plotly.Plots.resize($(`#chart-${w}`))));
      }
      if (results.length === 2 && s.visning !== "prosent" && window.Plotly) {
        // Same y scale on both sides so the periods can be compared by eye.
        const top = Math.max(...["a", "b"].map((w) => $(`#chart-${w}`)._fullLayout.yaxis.range[1]));
        await Promise.all(["a", "b"].map((w) => window.Plotly.relayout($(`#chart-${w}`), { "yaxis.range": [0, top] })));
      }
      const a = results[0].d;
      let msg = `Viser ${a.periode.fra} – ${a.periode.til} (${a.periode.antall_uker} uker) for ${a.kontor.navn} (${a.kontor.enhetsnummer})`;
      if (results.length === 2) msg += `, sammenlignet med ${results[1].d.periode.fra} – ${results[1].d.periode.til}`;
      msg += `. Data til og med ${a.data.siste_uke}.`;
      $("#status").textContent = msg;
      document.body.dataset.ready = String(my);
    } catch (e) {
      if (my === seq) showError(e.message);
    }
  }

  let timer = null;
  form.addEventListener("change", (e) => {
    if (e.target.id === "kontor") return;
    clearTimeout(timer); timer = setTimeout(refresh, 120);
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); refresh(); });
  if (!forste) return;
  refresh();
}

/* ---------------- Gjennomføring page ---------------- */

function setupGjennomforinger(form) {
  async function refresh() {
    const fd = new FormData(form);
    const p = new URLSearchParams();
    for (const k of ["kontor", "fra", "til"]) if (fd.get(k)) p.set(k, fd.get(k).trim());
    const url = `/api/v1/gjennomforinger/uker?${p}`;
    try {
      // The page lists gjennomføringer for the last week only; the weekly sums cover the period.
      const d = await getJSON(`${url}&rader=siste`);
      showError(null);
      const x = d.uker.map((u) => u.uke);
      await plot($("#chart-gj"), [
        { type: "bar", name: "Deltar", x, y: d.uker.map((u) => num(u.deltar)), marker: { color: PALETTE[0] } },
        { type: "bar", name: "Venter", x, y: d.uker.map((u) => num(u.venter)), marker: { color: PALETTE[1] } },
        { type: "scatter", mode: "lines+markers", name: "Plasser", x, y: d.uker.map((u) => u.plasser), line: { color: PALETTE[2], width: 3 } },
        { type: "scatter", mode: "lines", name: "Belegg (%)", x, y: d.uker.map((u) => (u.belegg === null ? null : 100 * u.belegg)), yaxis: "y2", line: { color: PALETTE[4], dash: "dot" } },
      ], { barmode: "group", yaxis: { title: { text: "Personer / plasser" } },
        yaxis2: { title: { text: "Belegg (%)" }, overlaying: "y", side: "right", rangemode: "tozero", ticksuffix: " %" } });
      table($("#tabell-uker"), `Belegg per uke, ${d.periode.fra}–${d.periode.til}.`,
        ["Uke", "Gjennomføringer", "Deltar", "Venter", "Plasser", "Belegg (%)"],
        d.uker.map((u) => [u.uke, cell(u.gjennomforinger), cell(u.deltar), cell(u.venter), cell(u.plasser), cell(u.belegg === null ? null : 100 * u.belegg, true)]));
      const last = d.periode.til;
      table($("#tabell-gj"), `Gjennomføringer i uke ${last}.`,
        ["Gjennomføring", "Tiltak", "Deltar", "Venter", "Plasser", "Belegg (%)", "Fra lokale kontor", "Fra andre kontor"],
        d.rader.filter((r) => r.uke === last).map((r) => [r.gjennomforing_id, r.tiltaksnavn, cell(r.deltar), cell(r.venter), cell(r.plasser), cell(r.belegg === null ? null : 100 * r.belegg, true), cell(r.fra_lokale_kontor), cell(r.fra_andre_kontor)]));
      const exp = new URLSearchParams(p); exp.set("format", "csv"); $("#csv-gj").href = `/api/v1/gjennomforinger/uker?${exp}`;
      exp.set("format", "xlsx"); $("#xlsx-gj").href = `/api/v1/gjennomforinger/uker?${exp}`;
      $("#json-gj").href = url;
      $("#status").textContent = `Viser ${d.periode.fra} – ${d.periode.til}.`;
      document.body.dataset.ready = "1";
    } catch (e) { showError(e.message, [$("#fra"), $("#til")]); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  form.addEventListener("change", () => refresh());
  refresh();
}

/* ---------------- Data quality page ---------------- */

function setupDatakvalitet(form) {
  async function refresh() {
    const fd = new FormData(form);
    const p = new URLSearchParams();
    for (const k of ["fra", "til"]) if (fd.get(k)) p.set(k, fd.get(k).trim());
    const url = `/api/v1/datakvalitet?${p}`;
    try {
      const d = await getJSON(url);
      showError(null);
      const x = d.uker.map((u) => u.uke);
      await plot($("#chart-dk"), d.kolonner.map((k, i) => ({
        type: "scatter", mode: "lines+markers", name: k.navn, x, y: d.uker.map((u) => num(u[k.verdi])),
        line: { color: PALETTE[i % PALETTE.length] }, visible: k.verdi === "antall_telt" ? "legendonly" : true,
      })), { yaxis: { title: { text: "Deltakelser" } } });
      table($("#tabell-dk"), `Datakvalitet per uke, ${d.periode.fra}–${d.periode.til}.`,
        ["Uke"].concat(d.kolonner.map((k) => k.navn)),
        d.uker.map((u) => [u.uke].concat(d.kolonner.map((k) => cell(u[k.verdi])))));
      const exp = new URLSearchParams(p); exp.set("format", "csv"); $("#csv-dk").href = `/api/v1/datakvalitet?${exp}`;
      exp.set("format", "xlsx"); $("#xlsx-dk").href = `/api/v1/datakvalitet?${exp}`;
      $("#json-dk").href = url;
      $("#status").textContent = `Viser ${d.periode.fra} – ${d.periode.til}.`;
      document.body.dataset.ready = "1";
    } catch (e) { showError(e.message, [$("#fra"), $("#til")]); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  form.addEventListener("change", () => refresh());
  refresh();
}

/* ---------------- Etterlevelse datasets (generic) ---------------- */

const NUMERIC = /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i;
const TEMPORAL = /DATE|TIMESTAMP/i;

/* Adoption curves: [time column, cumulative count column, label] per dataset. */
const ADOPTION = {
  ds_varslinger_tid: [["time", "antallDokumenter", "Dokumenter med varslingsadresse"]],
  ds_beskrivelser: [["minTid", "antallDokumenterMedBeskrivelse", "Dokumenter med beskrivelse"]],
  ds_prioriterte_krav: [["minTid", "antallDokumenterMedPrioritertKravliste", "Dokumenter med prioriterte krav"]],
  ds_gjenbruk: [["forGjenbrukMinTid", "antallDokumenterforGjenbruk", "Ment for gjenbruk"],
    ["tilgjengeligForGjenbrukMinTid", "antallDokumentertilgjengeligForGjenbruk", "Tilgjengelig for gjenbruk"]],
};

function adoptionTraces(name, d) {
  const have = new Set(d.kolonner.map((c) => c.navn));
  const spec = (ADOPTION[name] || []).filter(([t, n]) => have.has(t) && have.has(n));
  return spec.map(([t, n, label], i) => {
    const rows = d.rader.filter((r) => r[t] !== null && r[n] !== null)
      .sort((a, b) => (a[t] < b[t] ? -1 : a[t] > b[t] ? 1 : a[n] - b[n]));
    return { type: "scatter", mode: "lines", line: { shape: "hv", color: PALETTE[i], width: 3 }, name: label,
      x: rows.map((r) => r[t]), y: rows.map((r) => r[n]) };
  });
}

async function setupEtterlevelse(view) {
  const name = view.dataset.datasett;
  try {
    const limit = ADOPTION[name] ? "?grense=50000" : "";
    const d = await getJSON(`/api/v1/etterlevelse/${encodeURIComponent(name)}${limit}`);
    const cols = d.kolonner;
    const curves = adoptionTraces(name, d);
    if (curves.length) {
      await plot($("#chart-ds"), curves, { xaxis: { type: "date", tickformat: "%d.%m.%Y", title: { text: "Tid" } },
        yaxis: { title: { text: "Antall dokumenter (kumulativt)" } } });
    }
    const xCol = cols.find((c) => TEMPORAL.test(c.type)) || cols.find((c) => !NUMERIC.test(c.type)) || cols[0];
    const nums = cols.filter((c) => NUMERIC.test(c.type) && c !== xCol && !["aar", "uke"].includes(c.navn));
    const cats = cols.filter((c) => c !== xCol && !NUMERIC.test(c.type) && !TEMPORAL.test(c.type) && /VARCHAR|BOOL/i.test(c.type));
    let split = null;
    for (const c of cats) {
      const n = new Set(d.rader.map((r) => String(r[c.navn]))).size;
      if (n > 1 && n <= 12) { split = c; break; }
    }
    const traces = [];
    const kind = TEMPORAL.test(xCol.type) ? { type: "scatter", mode: "lines" } : { type: "bar" };
    if (curves.length) {
      // drawn above
    } else if (nums.length) {
      const groups = split ? [...new Set(d.rader.map((r) => String(r[split.navn])))] : [null];
      const measures = split ? [nums[0]] : nums.slice(0, 6);
      groups.forEach((g) => measures.forEach((m) => {
        const rows = d.rader.filter((r) => g === null || String(r[split.navn]) === g);
        traces.push(Object.assign({}, kind, {
          name: g === null ? m.navn : `${g}`, x: rows.map((r) => r[xCol.navn]), y: rows.map((r) => r[m.navn]),
          marker: { color: PALETTE[traces.length % PALETTE.length] }, line: { color: PALETTE[traces.length % PALETTE.length] },
        }));
      }));
      await plot($("#chart-ds"), traces, { xaxis: TEMPORAL.test(xCol.type) ? { type: "date", tickformat: "%d.%m.%Y", title: { text: xCol.navn } } : { type: "category", title: { text: xCol.navn } },
        yaxis: { title: { text: split ? `${nums[0].navn} etter ${split.navn}` : nums.map((n) => n.navn).join(", ") } } });
    } else {
      $("#chart-ds").hidden = true;
    }
    const shown = d.rader.slice(0, 500);
    table($("#tabell-ds"), `${name}: viser ${shown.length} av ${d.totalt} rader${d.sortert_etter ? `, sortert etter ${d.sortert_etter}` : ""}.`, cols.map((c) => c.navn),
      shown.map((r) => cols.map((c, i) => {
        const v = r[c.navn];
        if (i === 0) return v === null ? "–" : String(v);
        return typeof v === "number" ? cell(v) : { text: v === null ? "–" : Array.isArray(v) ? v.join(", ") : String(v), cls: "txt" };
      })));
    $("#status").textContent = `${d.totalt} rader.`;
    document.body.dataset.ready = "1";
  } catch (e) { showError(e.message); }
}

/* ---------------- Etterlevelse and behandlinger views ---------------- */

/** The chart of each view, drawn from its JSON; the table beside it is always d.tabell. */
const VISNING_CHART = {
  "sist-oppdatert": (d) => [[{ type: "bar", name: "Dokumenter", x: d.bokser.map((b) => b.navn), y: d.bokser.map((b) => b.antall),
    marker: { color: PALETTE[0] } }], { xaxis: { title: { text: "Dager siden siste oppdatering" } }, yaxis: { title: { text: "Dokumenter" } } }],
  "pvk-flyt": (d) => [d.statuser.map((st, i) => ({ type: "bar", name: st.navn, x: d.perioder.map((p) => p.periode),
    y: d.perioder.map((p) => p.antall[st.verdi]), marker: { color: PALETTE[i % PALETTE.length] } })),
  { barmode: "stack", yaxis: { title: { text: "PVK-dokumenter" } } }],
  bruk: (d) => [d.avdelinger.map((a, i) => ({ type: "bar", name: a, x: d.uker.map((u) => u.uke),
    y: d.uker.map((u) => d.rader.find((r) => r.uke === u.uke && r.avdeling === a)[d.maal.verdi]), marker: { color: PALETTE[i % PALETTE.length] } })),
  { barmode: "stack", yaxis: { title: { text: d.maal.navn } } }],
  grunnlag: (d) => [[{ type: "bar", orientation: "h", name: "Behandlinger", y: d.verdier.map((v) => v.navn).reverse(),
    x: d.verdier.map((v) => v.antall).reverse(), marker: { color: PALETTE[0] } }],
  { margin: { t: 16, r: 16, b: 40, l: 16 }, xaxis: { type: "linear", title: { text: "Behandlinger" } }, yaxis: { type: "category", automargin: true } }],
  databehandlere: (d) => [[{ type: "bar", orientation: "h", name: "Behandlinger", y: d.verdier.slice(0, 25).map((v) => v.navn).reverse(),
    x: d.verdier.slice(0, 25).map((v) => v.behandlinger).reverse(), marker: { color: PALETTE[0] } }],
  { margin: { t: 16, r: 16, b: 40, l: 16 }, xaxis: { type: "linear", title: { text: "Behandlinger" } }, yaxis: { type: "category", automargin: true } }],
};

function visningStatus(name, d) {
  if (name === "sist-oppdatert") {
    return `${nf.format(d.dokumenter)} dokumenter ${d.dato}; median ${d.median_dager === null ? "–" : nf.format(d.median_dager)} dager siden siste oppdatering.`;
  }
  if (name === "pvk-flyt") return `Viser ${d.fra} – ${d.til} per ${d.periode === "uke" ? "uke" : "måned"}. Data til og med ${d.siste_dato}.`;
  if (name === "bruk") return `Viser ${d.maal.navn.toLowerCase()} ${d.periode.fra} – ${d.periode.til}. Data til og med ${d.siste_uke}.`;
  if (name === "grunnlag") return `${nf.format(d.behandlinger)} gjeldende behandlinger, ${nf.format(d.uten_grunnlag)} uten behandlingsgrunnlag.`;
  return `${nf.format(d.med_databehandler_utenfor_eu)} av ${nf.format(d.behandlinger)} gjeldende behandlinger bruker databehandlere utenfor EU/EØS `
    + `(behandlingenes eget svar: ${nf.format(d.utenfor_eu.ja)} ja, ${nf.format(d.utenfor_eu.nei)} nei, ${nf.format(d.utenfor_eu.ukjent)} ikke besvart).`;
}

function setupVisning(form) {
  let drawn = 0;
  const name = form.dataset.visning;
  const api = form.dataset.api;
  $all(".velg-alle", form).forEach((b) => b.addEventListener("click", () => {
    $all(`input[name="${b.dataset.target}"]`, form).forEach((c) => { c.checked = true; });
    refresh();
  }));
  async function refresh() {
    const p = new URLSearchParams();
    for (const f of $all("input[type=text], input[type=date], select", form)) if (f.value.trim()) p.set(f.name, f.value.trim());
    const boxes = $all("input[type=checkbox][name=avdeling]", form);
    const ticked = boxes.filter((b) => b.checked);
    if (boxes.length && !ticked.length) { showError("Velg minst én avdeling.", boxes.slice(0, 1)); return; }
    if (ticked.length < boxes.length) ticked.forEach((b) => p.append("avdeling", b.value));
    if (name === "bruk") {
      for (const [id, what] of [["fra", "Fra uke"], ["til", "Til uke"]]) {
        const msg = checkWeek(p.get(id), what, form.dataset.siste);
        if (msg) { showError(msg, [$(`#${id}`)]); return; }
      }
    }
    const url = `${api}?${p}`;
    const my = ++drawn;
    try {
      const d = await getJSON(url);
      if (my !== drawn) return;  // a newer request is on its way; draw only the latest
      showError(null);
      if (name === "sist-oppdatert" && !$("#dato").value) { $("#dato").min = d.forste_dato; $("#dato").max = d.siste_dato; }
      if (name === "bruk") form.dataset.siste = d.siste_uke;
      const [traces, layout] = VISNING_CHART[name](d);
      await plot($("#chart-v"), traces, layout);
      const t = d.tabell;
      const fmt = (v, i) => (typeof v === "number" ? cell(v, /\(%\)/.test(t.kolonner[i])) : v === null ? cell(null) : String(v));
      table($("#tabell-v"), `${document.querySelector("h1").textContent}: ${visningStatus(name, d)}`, t.kolonner,
        t.rader.map((r) => r.map(fmt)), t.sum ? t.sum.map(fmt) : null);
      const exp = new URLSearchParams(p); exp.set("format", "csv"); $("#csv-v").href = `${api}?${exp}`;
      exp.set("format", "xlsx"); $("#xlsx-v").href = `${api}?${exp}`;
      $("#json-v").href = url;
      $("#status").textContent = visningStatus(name, d);
      if (my !== drawn) return;
      document.body.dataset.ready = String(my);  // a counter: tests wait for a newer draw
    } catch (e) { showError(e.message, $all("input[type=text], input[type=date]", form)); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  form.addEventListener("change", (e) => { if (e.target.type !== "text") refresh(); });
  refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  const page = $("[data-page]");
  if (!page) return;
  const setup = { tiltak: setupTiltak, gjennomforinger: setupGjennomforinger, datakvalitet: setupDatakvalitet, etterlevelse: setupEtterlevelse, visning: setupVisning }[page.dataset.page];
  if (setup) setup(page);
});
