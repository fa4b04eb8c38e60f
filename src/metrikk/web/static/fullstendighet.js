"use strict";
/* The page /behandlinger/fullstendighet: share of active behandlinger lacking what the chosen
   indikator measures, per week and avdeling (lines), with the same numbers in the table beside
   it (d.tabell, also what the export writes). Uses felles.js. */

function fullstendighetStatus(d) {
  const last = d.uker[d.uker.length - 1];
  const andel = last.andel === null ? "–" : `${pf.format(last.andel)} %`;
  return `${d.indikator.navn}: ${nf.format(last.mangler)} av ${nf.format(last.behandlinger)} aktive behandlinger (${andel}) i ${last.uke}. `
    + `Viser ${d.periode.fra} – ${d.periode.til}; data til og med ${d.siste_uke}.`;
}

function setupFullstendighet(form) {
  let drawn = 0;
  const api = form.dataset.api;
  const q = readQuery();
  for (const id of ["indikator", "seksjon", "fra", "til"]) if (q.get(id) !== null) $(`#${id}`).value = q.get(id);
  const chosen = q.getAll("avdeling");
  if (chosen.length) $all("input[name=avdeling]", form).forEach((b) => { b.checked = chosen.includes(b.value); });
  $all(".velg-alle", form).forEach((b) => b.addEventListener("click", () => {
    $all(`input[name="${b.dataset.target}"]`, form).forEach((c) => { c.checked = true; });
    refresh();
  }));
  function showRule() {
    const opt = $("#indikator").selectedOptions[0];
    $("#regel-tekst").textContent = opt ? opt.dataset.hjelp : "";
  }
  async function refresh() {
    showRule();
    const p = new URLSearchParams();
    for (const f of $all("input[type=text], select", form)) if (f.value.trim()) p.set(f.name, f.value.trim());
    const boxes = $all("input[type=checkbox][name=avdeling]", form);
    const ticked = boxes.filter((b) => b.checked);
    if (boxes.length && !ticked.length) { showError("Velg minst én avdeling.", boxes.slice(0, 1)); return; }
    if (ticked.length < boxes.length) ticked.forEach((b) => p.append("avdeling", b.value));
    for (const [id, what] of [["fra", "Fra uke"], ["til", "Til uke"]]) {
      const msg = checkWeek(p.get(id), what, form.dataset.siste);
      if (msg) { showError(msg, [$(`#${id}`)]); return; }
    }
    const url = `${api}?${p}`;
    const my = ++drawn;
    try {
      const d = await getJSON(url);
      if (my !== drawn) return;
      showError(null);
      form.dataset.siste = d.siste_uke;
      writeQuery(p);
      const x = d.uker.map((u) => u.uke);
      const traces = d.serier.map((s, i) => ({
        type: "scatter", mode: "lines", name: s.navn, x, y: s.uker.map((u) => u.andel),
        line: { color: PALETTE[i % PALETTE.length], width: 2 },
        customdata: s.uker.map((u) => [u.mangler, u.behandlinger]),
        hovertemplate: "%{x}: %{y:.1f} % (%{customdata[0]} av %{customdata[1]})<extra>" + s.navn + "</extra>",
      }));
      traces.push({
        type: "scatter", mode: "lines", name: "Totalt", x, y: d.uker.map((u) => u.andel),
        line: { color: "#23262a", width: 3, dash: "dot" },
        customdata: d.uker.map((u) => [u.mangler, u.behandlinger]),
        hovertemplate: "%{x}: %{y:.1f} % (%{customdata[0]} av %{customdata[1]})<extra>Totalt</extra>",
      });
      // On a phone the legend (one line per avdeling) would leave no room for the lines: the
      // chart grows with the number of lines instead of scrolling its legend.
      const narrow = $("#chart-f").clientWidth < 600;
      await plot($("#chart-f"), traces, {
        yaxis: { title: { text: "Andel som mangler (%)" }, range: [0, 100], ticksuffix: " %" },
        xaxis: { nticks: narrow ? 6 : 12 },
        ...(narrow ? { height: 300 + 22 * traces.length } : {}),
      }, { counts: false, filename: "fullstendighet" });
      const t = d.tabell;
      const fmtCell = (v, i) => (typeof v === "number" ? cell(v, /\(%\)/.test(t.kolonner[i])) : v === null ? cell(null) : String(v));
      table($("#tabell-f"), fullstendighetStatus(d), t.kolonner, t.rader.map((r) => r.map(fmtCell)), null);
      setExport("f", api, p);
      $("#status").textContent = fullstendighetStatus(d);
      if (my !== drawn) return;
      document.body.dataset.ready = String(my);
    } catch (e) { showError(e.message, $all("input[type=text]", form)); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  form.addEventListener("change", (e) => { if (e.target.type !== "text") refresh(); });
  refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  const form = $("[data-page=fullstendighet]");
  if (form) setupFullstendighet(form);
});
