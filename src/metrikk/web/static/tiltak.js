/* The tiltak page ("Over tid"): persons per week, month or year, two periods and their
   difference. Drawn from /api/v1/tiltak/perioder and /api/v1/tiltak/sammenligning. */
"use strict";

const MONTH_RE = /^\s*(\d{4})\s*-\s*(\d{1,2})\s*$/;
const YEAR_RE = /^\s*(\d{4})\s*$/;
const FILTERS = ["avdeling", "innsatsgruppe", "tiltakskode", "tiltaksgruppe"];
const PAGE_KEYS = ["periode", "fra", "til", "sammenlign", "fra2", "til2", "x", "serie", "visning", "sorter", "maal"];

/** A Norwegian message for a period that cannot be right, or null (the API checks the rest). */
function checkPeriod(text, kind, what, siste) {
  if (!text) return null;
  if (kind === "uke") return checkWeek(text, what, siste);
  if (kind === "maned") {
    const m = MONTH_RE.exec(text);
    if (!m) return `${what}: «${text}» er ikke en måned. Skriv år og måned som 2025-04.`;
    const mnd = parseInt(m[2], 10);
    return mnd >= 1 && mnd <= 12 ? null : `${what}: måned ${mnd} finnes ikke; bruk 1–12.`;
  }
  return YEAR_RE.test(text) ? null : `${what}: «${text}» er ikke et år. Skriv året med fire sifre, f.eks. 2025.`;
}

function tiltakState(form) {
  const fd = new FormData(form);
  const s = { kontor: form.dataset.kontor, sammenlign: !!fd.get("sammenlign"), filters: {} };
  for (const k of PAGE_KEYS) if (k !== "sammenlign") s[k] = (fd.get(k) || "").trim();
  for (const name of FILTERS) {
    const boxes = $all(`input[name="${name}"]`, form);
    const checked = boxes.filter((b) => b.checked).map((b) => b.value);
    if (boxes.length && boxes[0].type === "radio") {
      // Under --min-antall: one value or «Alle» (value ""), never a set.
      const v = checked[0] || "";
      s.filters[name] = { all: v === "", none: false, values: v ? [v] : [] };
      continue;
    }
    s.filters[name] = { all: checked.length === boxes.length, none: checked.length === 0, values: checked };
  }
  return s;
}

/** The page's choices from the address, into the form (before the first draw). */
function restoreTiltak(form) {
  const q = readQuery();
  for (const k of PAGE_KEYS) {
    if (!q.has(k)) continue;
    const f = form.elements[k];
    if (!f) continue;
    if (f instanceof RadioNodeList) f.value = q.get(k);
    else if (f.type === "checkbox") f.checked = q.get(k) === "1";
    else f.value = q.get(k);
  }
  $("#periode2").hidden = !$("#sammenlign").checked;
  for (const name of FILTERS) {
    if (!q.has(name)) continue;
    const wanted = new Set(q.getAll(name));
    $all(`input[name="${name}"]`, form).forEach((b) => { b.checked = wanted.has(b.value); });
  }
}

function apiParams(s, fra, til) {
  const p = new URLSearchParams();
  p.set("kontor", s.kontor);
  p.set("periode", s.periode);
  if (fra) p.set("fra", fra);
  if (til) p.set("til", til);
  p.append("gruppering", s.x);
  if (s.serie && s.serie !== s.x) p.append("gruppering", s.serie);
  p.set("maal", s.maal);
  p.set("sorter", s.sorter);
  for (const [name, f] of Object.entries(s.filters)) if (!f.all) f.values.forEach((v) => p.append(name, v));
  return p;
}

function pageParams(s) {
  const p = new URLSearchParams();
  p.set("kontor", s.kontor);
  for (const k of PAGE_KEYS) {
    if (k === "sammenlign") { if (s.sammenlign) p.set(k, "1"); continue; }
    if ((k === "fra2" || k === "til2") && !s.sammenlign) continue;
    if (s[k]) p.set(k, s[k]);
  }
  for (const [name, f] of Object.entries(s.filters)) if (!f.all) f.values.forEach((v) => p.append(name, v));
  return p;
}

function alignTo(values, reference) {
  if (!reference) return values;
  const pos = new Map(reference.map((v, i) => [v.verdi, i]));
  return [...values].sort((a, b) => (pos.has(a.verdi) ? pos.get(a.verdi) : 1e9) - (pos.has(b.verdi) ? pos.get(b.verdi) : 1e9));
}

function renderTiltak(which, data, s, reference) {
  const dims = data.gruppering;
  const x = dims[0];
  const ser = dims.length > 1 ? dims[1] : null;
  const pct = s.visning === "prosent";
  const horizontal = x !== "periode";
  const xVals = x === "periode" ? data.verdier[x] : alignTo(data.verdier[x], reference && reference.verdier[x]);
  const sVals = ser ? alignTo(data.verdier[ser], reference && reference.verdier[ser]) : [{ verdi: null, navn: data.maal_navn }];
  const byKey = new Map(data.rader.map((r) => [`${r[x]}\u0000${ser ? r[ser] : ""}`, r]));
  const get = (xv, sv) => byKey.get(`${xv}\u0000${ser ? sv : ""}`);
  const rest = new Set(data.andre ? data.andre.verdier : []);
  const shownSeries = sVals.filter((v) => !rest.has(v.verdi));
  const label = pct ? "Andel (%)" : data.maal_navn.charAt(0).toUpperCase() + data.maal_navn.slice(1);
  const value = (r) => (r.skjult ? null : pct ? r.andel : r.antall);
  const cats = xVals.map((v) => v.navn);
  const series = shownSeries.map((sv) => ({ name: sv.navn, verdi: sv.verdi, vals: xVals.map((xv) => value(get(xv.verdi, sv.verdi))),
    text: xVals.map((xv) => { const r = get(xv.verdi, sv.verdi); return r.skjult ? r.antall : pct ? `${fmt(r.andel, true)} %` : fmt(r.antall); }) }));
  if (data.andre) {
    const per = new Map(data.andre.antall_per.map((a) => [a[x], a.antall]));
    const vals = xVals.map((xv) => (pct ? [...rest].reduce((acc, sv) => acc + (value(get(xv.verdi, sv)) || 0), 0) : num(per.get(xv.verdi))));
    series.push({ name: data.andre.navn, verdi: null, vals, text: vals.map((v) => (pct ? `${fmt(v, true)} %` : fmt(v))) });
  }
  const colours = ser ? markers(ser, series.map((t) => t.verdi)) : [{ color: PALETTE[0] }];
  const traces = series.map((t, i) => ({
    type: "bar", name: t.name, orientation: horizontal ? "h" : "v",
    x: horizontal ? t.vals : cats, y: horizontal ? cats : t.vals, customdata: t.text,
    hovertemplate: `%{${horizontal ? "y" : "x"}}<br>${t.name}: %{customdata}<extra></extra>`,
    marker: colours[i],
  }));
  const chart = $(`#chart-${which}`);
  chart.style.minHeight = horizontal ? `${Math.max(28 * 16, 30 * cats.length + 140)}px` : "";
  chart.setAttribute("aria-label", `Søylediagram: ${label.toLowerCase()} per ${data.gruppering_navn[0].toLowerCase()}`
    + (ser ? `, delt opp etter ${data.gruppering_navn[1].toLowerCase()}` : "") + `, ${data.periode.fra_navn}–${data.periode.til_navn}. Tallene står i tabellen.`);
  const valueAxis = pct ? { title: { text: label }, range: [0, 100], ticksuffix: " %", tickformat: "" } : { title: { text: label } };
  const catAxis = { title: { text: data.gruppering_navn[0] }, type: "category", automargin: true };
  if (horizontal) {
    catAxis.autorange = "reversed";
    // On a phone full names would leave no room for the bars: shortened on the axis, whole
    // in the hover text and the table.
    if (chart.clientWidth < 560) {
      catAxis.tickvals = cats;
      catAxis.ticktext = cats.map((c) => (c.length > 18 ? `${c.slice(0, 17)}…` : c));
    }
  }
  const done = plot(chart, traces, {
    barmode: s.visning === "gruppert" ? "group" : "stack", showlegend: !!ser,
    xaxis: horizontal ? Object.assign({ type: "linear" }, valueAxis) : catAxis,
    yaxis: horizontal ? catAxis : valueAxis,
    margin: horizontal ? { t: 16, r: 24, b: 48, l: 16 } : undefined,
  }, { horizontal, counts: !pct, filename: `tiltak_${data.kontor.enhetsnummer}` });

  const header = [data.gruppering_navn[0]].concat(ser ? sVals.map((v) => v.navn) : [label]);
  const totals = new Map(data.totalt_per.map((t) => [t[x], t.antall]));
  if (ser && !pct) header.push(`Totalt (${data.maal_navn})`);
  const rows = xVals.map((xv) => {
    const r = [xv.navn];
    sVals.forEach((sv) => { const row = get(xv.verdi, sv.verdi); r.push(row.skjult ? cell(row.antall) : cell(pct ? row.andel : row.antall, pct)); });
    if (ser && !pct) r.push(cell(totals.get(xv.verdi)));
    return r;
  });
  let footer = null;
  if (!pct) {
    const perSeries = new Map((data.totalt_per_serie || []).map((t) => [t[ser], t.antall]));
    footer = [`Totalt (${data.maal_navn})`].concat(ser ? sVals.map((sv) => cell(perSeries.get(sv.verdi))) : []).concat([cell(data.totalt)]);
  }
  const caption = `${label} per ${data.gruppering_navn[0].toLowerCase()}` + (ser ? ` og ${data.gruppering_navn[1].toLowerCase()}` : "")
    + `, ${data.kontor.navn}, ${data.periode.fra_navn} – ${data.periode.til_navn}. Totalt for hele perioden: `
    + (data.maal === "snitt" ? `${fmt(data.totalt)} i snitt per uke.` : `${persons(data.totalt)}.`);
  table($(`#tabell-${which}`), caption, header, rows, footer);
  $(`#tittel-${which}`).textContent = `${which === "a" ? "Periode" : "Sammenligning"}: ${data.periode.fra_navn} – ${data.periode.til_navn}`;
  return done;
}

function renderForskjell(d) {
  const la = `${d.a.fra_navn} – ${d.a.til_navn}`;
  const lb = `${d.b.fra_navn} – ${d.b.til_navn}`;
  const change = (e, pct) => {
    const v = pct ? e.prosent : e.antall;
    return { text: pct ? (v === null ? "–" : `${signed(v, true)} %`) : signed(v), value: v === null ? "" : String(v),
      cls: v > 0 ? "opp" : v < 0 ? "ned" : "" };
  };
  const rows = d.rader.map((r) => [r.navn, cell(r.a), cell(r.b), change(r.endring), change(r.endring, true)]);
  const footer = [`Totalt (${d.maal_navn})`, cell(d.totalt.a), cell(d.totalt.b), change(d.totalt.endring), change(d.totalt.endring, true)];
  table($("#tabell-f"), `Forskjell: ${la} minus ${lb}, ${d.maal_navn}${d.gruppering_navn ? ` per ${d.gruppering_navn.toLowerCase()}` : ""}. Prosent er forskjellen delt på ${lb}.`,
    [d.gruppering_navn || "Utvalg", la, lb, "Forskjell", "Forskjell (%)"], rows, footer);
}

function setupTiltak(form) {
  const hint = $("#uke-hjelp");
  const siste = hint.dataset.siste;
  let seq = 0;
  restoreTiltak(form);
  kontorSelect("/tiltak");
  // On a phone the filter lists would push the chart far down: closed until asked for, unless
  // the address already filters.
  const anyFilter = FILTERS.some((f) => readQuery().has(f));
  if (window.innerWidth < 640 && !anyFilter) $("#flere-valg").open = false;
  $("#sammenlign").addEventListener("change", (e) => { $("#periode2").hidden = !e.target.checked; });
  $("#periode").addEventListener("change", () => { ["fra", "til", "fra2", "til2"].forEach((f) => { form.elements[f].value = ""; }); });
  $all(".velg-alle", form).forEach((b) => b.addEventListener("click", () => {
    $all(`input[name="${b.dataset.target}"]`, form).forEach((c) => { c.checked = true; });
    refresh();
  }));

  async function refresh() {
    const s = tiltakState(form);
    const problems = []; const bad = [];
    for (const [name, what] of [["fra", "Fra"], ["til", "Til"], ["fra2", "Sammenlign fra"], ["til2", "Sammenlign til"]]) {
      if ((name === "fra2" || name === "til2") && !s.sammenlign) continue;
      const m = checkPeriod(s[name], s.periode, what, siste);
      if (m) { problems.push(m); bad.push($(`#${name}`)); }
    }
    for (const [name, what] of [["avdeling", "avdeling"], ["innsatsgruppe", "innsatsgruppe"], ["tiltakskode", "tiltak"], ["tiltaksgruppe", "tiltaksgruppe"]]) {
      if (s.filters[name].none) problems.push(`Velg minst én ${what}, eller trykk «Velg alle».`);
    }
    if (s.sammenlign && (!s.fra2 || !s.til2)) {
      problems.push("Oppgi både fra og til for perioden du vil sammenligne med.");
      bad.push(!s.fra2 ? $("#fra2") : $("#til2"));
    }
    if (problems.length) { showError(problems.join(" "), bad); return; }
    showError(null);
    const my = ++seq;
    const periods = [["a", s.fra, s.til]];
    if (s.sammenlign) periods.push(["b", s.fra2, s.til2]);
    $("#periode-b").hidden = !s.sammenlign;
    $("#forskjell").hidden = !s.sammenlign;
    try {
      const calls = periods.map(([w, f, t]) => {
        const url = `/api/v1/tiltak/perioder?${apiParams(s, f, t)}`;
        return getJSON(url).then((d) => ({ w, d, url }));
      });
      let diffUrl = null;
      if (s.sammenlign) {
        const p = apiParams(s, s.fra, s.til);
        p.delete("gruppering"); p.delete("sorter");
        p.set("fra2", s.fra2); p.set("til2", s.til2);
        p.set("gruppering", s.x !== "periode" ? s.x : s.serie || "ingen");
        diffUrl = `/api/v1/tiltak/sammenligning?${p}`;
        calls.push(getJSON(diffUrl).then((d) => ({ w: "f", d, url: diffUrl })));
      }
      const results = await Promise.all(calls);
      if (my !== seq) return;
      const views = results.filter((r) => r.w !== "f");
      const draws = views.map(({ w, d }) => renderTiltak(w, d, s, w === "b" ? views[0].d : null));
      for (const { w, d, url } of results) {
        const [api, query] = url.split("?");
        if (w === "f") { renderForskjell(d); setExport("f", api, new URLSearchParams(query), false); continue; }
        $(`#periode-${w}`).dataset.apiUrl = url;
        const exp = new URLSearchParams(query);
        exp.set("visning", s.visning === "prosent" ? "prosent" : "antall");
        setExport(w, api, exp);
        $(`#json-${w}`).href = url;
        // Fra/Til show the period shown.
        const [fField, tField] = w === "a" ? ["fra", "til"] : ["fra2", "til2"];
        form.elements[fField].value = d.periode.fra;
        form.elements[tField].value = d.periode.til;
      }
      await Promise.all(draws);
      if (window.Plotly) await Promise.all(views.map(({ w }) => window.Plotly.Plots.resize($(`#chart-${w}`))));
      if (views.length === 2 && s.visning !== "prosent" && window.Plotly && s.x === "periode") {
        const top = Math.max(...["a", "b"].map((w) => $(`#chart-${w}`)._fullLayout.yaxis.range[1]));
        await Promise.all(["a", "b"].map((w) => window.Plotly.relayout($(`#chart-${w}`), { "yaxis.range": [0, top] })));
      }
      const a = views[0].d;
      let msg = `Viser ${a.periode.fra_navn} – ${a.periode.til_navn} (${plural(a.periode.antall_uker, "uke", "uker")}) for ${a.kontor.navn} (${a.kontor.enhetsnummer}), ${a.maal_navn}`;
      if (views.length === 2) msg += `, sammenlignet med ${views[1].d.periode.fra_navn} – ${views[1].d.periode.til_navn}`;
      const partial = a.periode.perioder.filter((p) => !p.fullstendig);
      if (partial.length && a.periode.type !== "uke") msg += `. ${partial.map((p) => `${p.navn} har ${plural(p.antall_uker, "uke", "uker")} med data av ${p.uker_i_kalenderen}`).join("; ")}`;
      msg += `. Data til og med ${a.data.siste_uke}.`;
      $("#status").textContent = msg;
      writeQuery(pageParams(tiltakState(form)));
      document.body.dataset.ready = String(my);
    } catch (e) {
      if (my === seq) showError(e.message, [$("#fra"), $("#til")]);
    }
  }

  let timer = null;
  form.addEventListener("change", (e) => {
    if (e.target.id === "kontor" || e.target.type === "text") return;
    clearTimeout(timer); timer = setTimeout(refresh, 120);
  });
  form.addEventListener("submit", (e) => { e.preventDefault(); clearTimeout(timer); refresh(); });
  if (form.dataset.forste) refresh();
}
