/* metrikk dashboard: every chart and table is drawn from the page's JSON twin under /api/v1.
   Shared helpers are in felles.js; the tiltak pages in tiltak.js, denne_uken.js and
   gjennomforinger.js. This file: week checks, the etterlevelse views, and the page dispatch. */
"use strict";

const WEEK_RE = /^\s*(\d{4})\s*-?\s*[WwUu]\s*(\d{1,2})\s*$/;

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
  if (!page) { document.body.dataset.ready = "1"; return; }
  const setup = {
    tiltak: setupTiltak, "denne-uken": setupDenneUken, gjennomforinger: setupGjennomforinger,
    datakvalitet: setupDatakvalitet, etterlevelse: setupEtterlevelse, visning: setupVisning,
    oppfolging: setupOppfolging, ventetid: setupVentetid,
  }[page.dataset.page];
  if (setup) setup(page);
});
