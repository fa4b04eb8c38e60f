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

/* Chosen charts beyond the adoption curves: [title, traces from the rows] per dataset. Every
   other dataset is a plain table: a chart of whatever columns a table happens to have plotted
   kravNummer over time and a legend entry «null» (issue #17). */
const CHOSEN = {
  // Every document has one avdeling, so the weekly sum over avdelinger counts each document once.
  ds_bruk_uke: (d) => {
    const have = new Set(d.kolonner.map((c) => c.navn));
    if (!have.has("uke_start") || !have.has("antallAktiveDokumenter")) return null;
    const per = new Map();
    d.rader.forEach((r) => per.set(r.uke_start, (per.get(r.uke_start) || 0) + (r.antallAktiveDokumenter || 0)));
    const weeks = [...per.keys()].sort();
    return [[{ type: "bar", name: "Aktive dokumenter", x: weeks, y: weeks.map((w) => per.get(w)), marker: { color: PALETTE[0] } }],
      { xaxis: { type: "date", tickformat: "%d.%m.%Y", title: { text: "Uke (mandag), alle avdelinger" } },
        yaxis: { title: { text: "Aktive dokumenter" } } }];
  },
};

/** A value of a generic dataset as a table cell: numbers right-aligned, the rest as text. */
function dsCell(v) {
  if (typeof v === "number") return cell(v);
  if (v === null || v === undefined) return { text: "–", cls: "txt" };
  if (typeof v === "boolean") return { text: v ? "ja" : "nei", cls: "txt" };
  if (Array.isArray(v)) return { text: v.join(", "), cls: "txt" };
  const s = String(v);
  return { text: /^\d{4}-\d\d-\d\dT/.test(s) ? s.replace("T", " ") : s, cls: "txt" };
}

const DS_TABLE_ROWS = 500;

async function setupEtterlevelse(view) {
  const name = view.dataset.datasett;
  const chart = $("#chart-ds");
  try {
    // A chart needs every row; a table alone shows the first rows (the export has more).
    const charted = Boolean(ADOPTION[name] || CHOSEN[name]);
    const d = await getJSON(`/api/v1/etterlevelse/${encodeURIComponent(name)}?grense=${charted ? 50000 : DS_TABLE_ROWS}`);
    const cols = d.kolonner;
    const curves = adoptionTraces(name, d);
    const chosen = !curves.length && CHOSEN[name] ? CHOSEN[name](d) : null;
    if (curves.length) {
      chart.hidden = false;
      await plot(chart, curves, { xaxis: { type: "date", tickformat: "%d.%m.%Y", title: { text: "Tid" } },
        yaxis: { title: { text: "Antall dokumenter (kumulativt)" } } });
    } else if (chosen) {
      chart.hidden = false;
      await plot(chart, chosen[0], chosen[1]);
    } else {
      chart.hidden = true;
    }
    const shown = d.rader.slice(0, DS_TABLE_ROWS);
    const sorted = d.sortert_etter ? `, sortert etter ${d.sortert_etter}` : "";
    table($("#tabell-ds"), `${name}: viser ${nf.format(shown.length)} av ${nf.format(d.totalt)} rader${sorted}.`, cols.map((c) => c.navn),
      shown.map((r) => cols.map((c, i) => {
        const v = r[c.navn];
        return i === 0 ? (v === null ? "–" : dsCell(v).text) : dsCell(v);
      })));
    $("#status").textContent = shown.length < d.totalt
      ? `${nf.format(d.totalt)} rader; tabellen viser de første ${nf.format(shown.length)}. Last ned CSV eller Excel for flere.`
      : `${nf.format(d.totalt)} rader.`;
    document.body.dataset.ready = "1";
  } catch (e) { showError(e.message); }
}

/* ---------------- Etterlevelse and behandlinger views ---------------- */

/** A horizontal bar chart's category axis: on a narrow chart long names are cut (the hover
 * and the table beside it keep them whole), else they push the bars off a phone's screen. */
function kategoriAkse(names) {
  const narrow = ($("#chart-v")?.clientWidth ?? window.innerWidth) < 560;
  const short = narrow ? names.map((c) => (c.length > 18 ? `${c.slice(0, 17)}…` : c)) : names;
  return { type: "category", automargin: true, tickvals: names, ticktext: short };
}

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
  { margin: { t: 16, r: 16, b: 40, l: 16 }, xaxis: { type: "linear", title: { text: "Behandlinger" } },
    yaxis: kategoriAkse(d.verdier.map((v) => v.navn).reverse()) },
  { horizontal: true }],
  databehandlere: (d) => [[{ type: "bar", orientation: "h", name: "Behandlinger", y: d.verdier.slice(0, 25).map((v) => v.navn).reverse(),
    x: d.verdier.slice(0, 25).map((v) => v.behandlinger).reverse(), marker: { color: PALETTE[0] } }],
  { margin: { t: 16, r: 16, b: 40, l: 16 }, xaxis: { type: "linear", title: { text: "Behandlinger" } },
    yaxis: kategoriAkse(d.verdier.slice(0, 25).map((v) => v.navn).reverse()) },
  { horizontal: true }],
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
      // Horizontal bars count along x: without the flag plot() took the category axis for the
      // count axis and cut it to [0, 1.1], showing two categories of many.
      const [traces, layout, opts] = VISNING_CHART[name](d);
      await plot($("#chart-v"), traces, layout, opts);
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
