/* «Andel på tiltak» (/api/v1/tiltak/oppfolging) and «Ventetid» (/api/v1/tiltak/ventetid):
   the whole period per group (chart beside its table) and the development per period. */
"use strict";

const OP_KEYS = ["periode", "fra", "til", "gruppering", "maal", "innsatsgruppe", "avdeling", "celler"];
const VT_KEYS = ["periode", "fra", "til", "gruppering", "tiltakskode", "tiltaksgruppe"];

/** The form's choices from the address, and back. */
function restoreForm(form, keys) {
  const q = readQuery();
  for (const k of keys) if (q.has(k) && form.elements[k]) form.elements[k].value = q.get(k);
}
function formParams(form, keys) {
  const fd = new FormData(form);
  const p = new URLSearchParams({ kontor: form.dataset.kontor });
  for (const k of keys) { const v = (fd.get(k) || "").trim(); if (v) p.set(k, v); }
  return p;
}
/** Period fields: a Norwegian message, or null; a new kind of period empties fra/til. */
function periodProblems(form) {
  const kind = form.elements.periode.value;
  const problems = []; const bad = [];
  for (const [name, what] of [["fra", "Fra"], ["til", "Til"]]) {
    const m = checkPeriod(form.elements[name].value.trim(), kind, what, null);
    if (m) { problems.push(m); bad.push(form.elements[name]); }
  }
  return [problems, bad];
}
function pct(v) { return v === null || v === undefined ? "–" : `${fmt(v, true)} %`; }
function pctCell(v) { return { text: pct(v), value: v === null || v === undefined ? "" : String(v) }; }

/* ---------------- Andel på tiltak ---------------- */

function renderOppfolging(d, celler) {
  const grouped = d.gruppering !== "ingen";
  const groups = d.grupper;
  // Whole period: share per group as horizontal bars, the table beside it.
  const names = d.sammendrag.map((r) => r.navn);
  const colours = grouped ? markers(d.gruppering, d.sammendrag.map((r) => r.verdi)) : [{ color: PALETTE[0] }];
  const sumChart = $("#chart-op-sum");
  sumChart.style.minHeight = `${Math.max(16 * 16, 40 * names.length + 120)}px`;
  const bars = [{
    type: "bar", orientation: "h", name: "Andel på tiltak (%)", y: names, x: d.sammendrag.map((r) => r.andel),
    marker: { color: colours.map((c) => c.color) }, customdata: d.sammendrag.map((r) => `${pct(r.andel)} (${fmt(r.paa_tiltak)} av ${fmt(r.under_oppfolging)})`),
    hovertemplate: "%{y}: %{customdata}<extra></extra>",
  }];
  const layout = {
    showlegend: false, margin: { t: 16, r: 24, b: 48, l: 16 },
    xaxis: { type: "linear", title: { text: "Andel på tiltak (%)" }, range: [0, 100], ticksuffix: " %", tickformat: "" },
    yaxis: { type: "category", autorange: "reversed", automargin: true },
  };
  // On a phone full names would leave no room for the bars: shortened on the axis, whole in
  // the hover text and the table (as on the tiltak page).
  if (sumChart.clientWidth < 560) {
    layout.yaxis.tickvals = names;
    layout.yaxis.ticktext = names.map((c) => (c.length > 18 ? `${c.slice(0, 17)}…` : c));
  }
  if (d.totalt.andel !== null) {
    layout.shapes = [{ type: "line", x0: d.totalt.andel, x1: d.totalt.andel, yref: "paper", y0: 0, y1: 1, line: { color: "#23262a", dash: "dash", width: 2 } }];
    layout.annotations = [{ x: d.totalt.andel, y: 1, yref: "paper", yanchor: "bottom", showarrow: false, text: `Totalt ${pct(d.totalt.andel)}` }];
  }
  sumChart.setAttribute("aria-label", `Liggende søyler: andel på tiltak per ${d.gruppering_navn.toLowerCase()}, ${d.periode.fra_navn}–${d.periode.til_navn}. Tallene står i tabellen.`);
  const done = [plot(sumChart, bars, layout, { horizontal: true, counts: false, filename: `andel_paa_tiltak_${d.kontor.enhetsnummer}` })];
  const sumRows = d.sammendrag.map((r) => [r.navn, cell(r.under_oppfolging), cell(r.paa_tiltak), pctCell(r.andel)]);
  const t = d.totalt;
  table($("#tabell-op-sum"), `Personer under oppfølging og på tiltak, ${d.maal_navn}, ${d.kontor.navn}, ${d.periode.fra_navn} – ${d.periode.til_navn}.`
    + (grouped ? " Totalen er unike personer, ikke summen av radene." : ""),
  [d.gruppering_navn, "Under oppfølging", "På tiltak", "Andel på tiltak (%)"], sumRows,
  grouped ? [`Totalt (${d.maal_navn})`, cell(t.under_oppfolging), cell(t.paa_tiltak), pctCell(t.andel)] : null);

  // Development: the share per group over the periods (lines), the chosen measure in the table.
  const x = d.utvikling.map((r) => r.navn);
  const series = grouped ? groups.map((g, i) => ({ name: g.navn, i, colour: colours[i] })) : [];
  const lines = series.map((s) => ({
    type: "scatter", mode: "lines+markers", name: s.name, x, y: d.utvikling.map((r) => r.grupper[s.i].andel),
    line: { color: s.colour.color, width: 2 }, hovertemplate: `%{x}<br>${s.name}: %{y:.1f} %<extra></extra>`,
  }));
  lines.push({
    type: "scatter", mode: "lines+markers", name: grouped ? "Totalt" : "Andel på tiltak", x, y: d.utvikling.map((r) => r.totalt.andel),
    line: { color: "#23262a", width: 3, dash: grouped ? "dash" : "solid" }, hovertemplate: "%{x}<br>Totalt: %{y:.1f} %<extra></extra>",
  });
  const utv = $("#chart-op-utv");
  // A phone's legend of six groups takes half the chart: give the lines their room.
  utv.style.minHeight = utv.clientWidth < 560 && grouped ? `${22 * 16 + 22 * (groups.length + 1)}px` : "";
  utv.setAttribute("aria-label", `Linjediagram: andel på tiltak per ${d.periode.type_navn.toLowerCase()}${grouped ? ` og ${d.gruppering_navn.toLowerCase()}` : ""}. Tallene står i tabellen.`);
  done.push(plot(utv, lines, { yaxis: { title: { text: "Andel på tiltak (%)" }, range: [0, 100], ticksuffix: " %", tickformat: "" },
    xaxis: { title: { text: d.periode.type_navn } } }, { counts: false, filename: `andel_paa_tiltak_utvikling_${d.kontor.enhetsnummer}` }));
  const measure = { andel: "Andel på tiltak (%)", paa_tiltak: "På tiltak", under_oppfolging: "Under oppfølging" }[celler];
  const val = (f) => (celler === "andel" ? pctCell(f.andel) : cell(f[celler]));
  const header = ["Periode"].concat(grouped ? groups.map((g) => g.navn) : [measure]);
  if (grouped) header.push("Totalt");
  const rows = d.utvikling.map((r) => [r.navn].concat(grouped ? r.grupper.map(val) : [], [val(r.totalt)]));
  const footer = [`Hele perioden (${d.maal_navn})`].concat(grouped ? d.sammendrag.map(val) : [], [val(d.totalt)]);
  table($("#tabell-op-utv"), `${measure} per ${d.periode.type_navn.toLowerCase()}${grouped ? ` og ${d.gruppering_navn.toLowerCase()}` : ""}, ${d.maal_navn}.`,
    header, rows, footer);
  return Promise.all(done);
}

function setupOppfolging(form) {
  kontorSelect("/tiltak/oppfolging");
  restoreForm(form, OP_KEYS);
  let seq = 0;
  let last = null;
  form.elements.periode.addEventListener("change", () => { form.elements.fra.value = ""; form.elements.til.value = ""; });
  async function refresh() {
    const [problems, bad] = periodProblems(form);
    if (problems.length) { showError(problems.join(" "), bad); return; }
    showError(null);
    const p = formParams(form, OP_KEYS.filter((k) => k !== "celler"));
    const url = `/api/v1/tiltak/oppfolging?${p}`;
    const my = ++seq;
    try {
      const d = await getJSON(url);
      if (my !== seq) return;
      last = d;
      await draw(d);
      form.elements.fra.value = d.periode.fra; form.elements.til.value = d.periode.til;
      const sum = new URLSearchParams(p); sum.set("tabell", "sammendrag");
      setExport("op-sum", "/api/v1/tiltak/oppfolging", sum);
      $("#json-op-sum").href = url;
      form.dataset.apiUrl = url;
      const partial = d.periode.perioder.filter((x) => !x.fullstendig);
      let msg = `Viser ${d.periode.fra_navn} – ${d.periode.til_navn} (${plural(d.periode.antall_uker, "uke", "uker")}) for ${d.kontor.navn} (${d.kontor.enhetsnummer}), ${d.maal_navn}.`;
      if (d.totalt.andel !== null) msg += ` ${pct(d.totalt.andel)} av ${persons(d.totalt.under_oppfolging)} under oppfølging var på tiltak.`;
      if (partial.length && d.periode.type !== "uke") msg += ` ${partial.map((x) => `${x.navn} har ${plural(x.antall_uker, "uke", "uker")} med data av ${x.uker_i_kalenderen}`).join("; ")}.`;
      $("#status").textContent = msg;
      writeQuery(formParams(form, OP_KEYS));
      document.body.dataset.ready = String(my);
    } catch (e) { if (my === seq) showError(e.message, [form.elements.fra, form.elements.til]); }
  }
  async function draw(d) {
    const celler = form.elements.celler.value;
    await renderOppfolging(d, celler);
    const utv = formParams(form, OP_KEYS); utv.set("tabell", "utvikling");
    setExport("op-utv", "/api/v1/tiltak/oppfolging", utv);
    $("#json-op-utv").href = `/api/v1/tiltak/oppfolging?${formParams(form, OP_KEYS.filter((k) => k !== "celler"))}`;
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  form.addEventListener("change", (e) => {
    if (e.target.id === "kontor" || e.target.type === "text" || e.target.id === "celler") return;
    refresh();
  });
  // «Tabellen viser» sits by its table, outside the form (form="op-form"): a change event does
  // not bubble to the form, and it only redraws the table from the last answer.
  form.elements.celler.addEventListener("change", async () => {
    if (!last) return;
    const my = ++seq;
    await draw(last);
    writeQuery(formParams(form, OP_KEYS));
    document.body.dataset.ready = String(my);
  });
  refresh();
}

/* ---------------- Ventetid ---------------- */

function renderVentetid(d) {
  const names = d.sammendrag.map((r) => r.navn);
  const colours = markers(d.gruppering, d.sammendrag.map((r) => r.verdi));
  const sumChart = $("#chart-vt-sum");
  sumChart.style.minHeight = `${Math.max(16 * 16, 32 * names.length + 120)}px`;
  const shortNames = sumChart.clientWidth < 560 ? names.map((c) => (c.length > 18 ? `${c.slice(0, 17)}…` : c)) : names;
  const done = [plot(sumChart, [{
    type: "bar", orientation: "h", name: "Gjennomsnittlig ventetid (dager)", y: names, x: d.sammendrag.map((r) => r.snitt_ventedager),
    marker: { color: colours.map((c) => c.color) },
    customdata: d.sammendrag.map((r) => `${fmt(r.snitt_ventedager)} dager i snitt, ${pct(r.andel_over_30)} over 30 dager (${fmt(r.antall_oppstart)} oppstarter)`),
    hovertemplate: "%{y}: %{customdata}<extra></extra>",
  }], {
    showlegend: false, margin: { t: 16, r: 24, b: 48, l: 16 },
    xaxis: { type: "linear", title: { text: "Snitt ventetid (dager)" } },
    yaxis: { type: "category", autorange: "reversed", automargin: true, tickvals: names, ticktext: shortNames },
  }, { horizontal: true, filename: `ventetid_${d.kontor.enhetsnummer}` })];
  sumChart.setAttribute("aria-label", `Liggende søyler: gjennomsnittlig ventetid per ${d.gruppering_navn.toLowerCase()}, ${d.periode.fra_navn}–${d.periode.til_navn}. Tallene står i tabellen.`);
  const row = (label, r) => [label, cell(r.antall_oppstart), cell(r.snitt_ventedager), cell(r.ventet_over_30), pctCell(r.andel_over_30)];
  const header = ["Oppstarter", "Snitt ventetid (dager)", "Ventet over 30 dager", "Andel over 30 dager (%)"];
  table($("#tabell-vt-sum"), `Ventetid før oppstart per ${d.gruppering_navn.toLowerCase()}, ${d.kontor.navn}, ${d.periode.fra_navn} – ${d.periode.til_navn}.`,
    [d.gruppering_navn].concat(header), d.sammendrag.map((r) => row(r.navn, r)), row("Totalt", d.totalt));

  const x = d.utvikling.map((r) => r.navn);
  // The bars (oppstarter, right axis) on the first axis and the line (the mean, left axis) on
  // the overlaying one: Plotly draws an overlaying axis's traces on top, so the line is never
  // hidden behind a bar.
  done.push(plot($("#chart-vt-utv"), [
    { type: "bar", name: "Oppstarter", x, y: d.utvikling.map((r) => num(r.antall_oppstart)), marker: { color: PALETTE[7], opacity: 0.55 },
      hovertemplate: "%{x}<br>Oppstarter: %{y}<extra></extra>" },
    { type: "scatter", mode: "lines+markers", name: "Gjennomsnittlig ventetid (dager)", x, y: d.utvikling.map((r) => r.snitt_ventedager), yaxis: "y2",
      line: { color: PALETTE[0], width: 3 }, hovertemplate: "%{x}<br>Snitt: %{y:.1f} dager<extra></extra>" },
  ], {
    yaxis: { title: { text: "Oppstarter" }, side: "right", rangemode: "tozero", showgrid: false, tickformat: ",d" },
    yaxis2: { title: { text: "Snitt ventetid (dager)" }, overlaying: "y", side: "left", rangemode: "tozero", tickmode: "auto",
      gridcolor: "#e0e3e6", automargin: true },
    xaxis: { title: { text: d.periode.type_navn } }, margin: { t: 16, r: 72, b: 48, l: 64 },
  }, { counts: false, filename: `ventetid_utvikling_${d.kontor.enhetsnummer}` }));
  $("#chart-vt-utv").setAttribute("aria-label", `Søyler og linje: oppstarter og gjennomsnittlig ventetid per ${d.periode.type_navn.toLowerCase()}. Tallene står i tabellen.`);
  table($("#tabell-vt-utv"), `Ventetid før oppstart per ${d.periode.type_navn.toLowerCase()}, ${d.kontor.navn}.`,
    ["Periode"].concat(header), d.utvikling.map((r) => row(r.navn, r)), row("Hele perioden", d.totalt));
  return Promise.all(done);
}

function setupVentetid(form) {
  kontorSelect("/tiltak/ventetid");
  restoreForm(form, VT_KEYS);
  let seq = 0;
  form.elements.periode.addEventListener("change", () => { form.elements.fra.value = ""; form.elements.til.value = ""; });
  async function refresh() {
    const [problems, bad] = periodProblems(form);
    if (problems.length) { showError(problems.join(" "), bad); return; }
    showError(null);
    const p = formParams(form, VT_KEYS);
    const url = `/api/v1/tiltak/ventetid?${p}`;
    const my = ++seq;
    try {
      const d = await getJSON(url);
      if (my !== seq) return;
      await renderVentetid(d);
      form.elements.fra.value = d.periode.fra; form.elements.til.value = d.periode.til;
      for (const [w, which] of [["vt-sum", "sammendrag"], ["vt-utv", "utvikling"]]) {
        const e = new URLSearchParams(p); e.set("tabell", which);
        setExport(w, "/api/v1/tiltak/ventetid", e);
        $(`#json-${w}`).href = url;
      }
      form.dataset.apiUrl = url;
      let msg = `Viser oppstarter ${d.periode.fra_navn} – ${d.periode.til_navn} (${plural(d.periode.antall_uker, "uke", "uker")}) for ${d.kontor.navn} (${d.kontor.enhetsnummer}).`;
      if (d.totalt.snitt_ventedager !== null) msg += ` I snitt ${fmt(d.totalt.snitt_ventedager)} dagers ventetid; ${pct(d.totalt.andel_over_30)} ventet over 30 dager.`;
      $("#status").textContent = msg;
      writeQuery(formParams(form, VT_KEYS));
      document.body.dataset.ready = String(my);
    } catch (e) { if (my === seq) showError(e.message, [form.elements.fra, form.elements.til]); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  form.addEventListener("change", (e) => { if (e.target.id !== "kontor" && e.target.type !== "text") refresh(); });
  refresh();
}
