/* Gjennomføringer (belegg) and Datakvalitet pages. */
"use strict";

const GJ_COLUMNS = [
  ["navn", "Gjennomføring", "text"], ["tiltaksnavn", "Tiltak", "text"], ["deltar", "Deltar", "num"],
  ["venter", "Venter", "num"], ["plasser", "Plasser", "num"], ["belegg", "Belegg (%)", "num"],
  ["fra_lokale_kontor", "Fra lokale kontor", "num"], ["fra_andre_kontor", "Fra andre kontor", "num"],
];
const FLAG_TEXT = { overfull: "Overfull", lang_venteliste: "Lang venteliste" };

function sortRows(rows, key, dir) {
  const val = (r) => (key === "belegg" ? r.belegg : r[key]);
  const sign = dir === "stigende" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = val(a); const vb = val(b);
    if (typeof va === "string" && typeof vb === "string" && !/^</.test(va)) return sign * va.localeCompare(vb, "nb");
    const na = typeof va === "number" ? va : -1; const nb = typeof vb === "number" ? vb : -1;
    return na === nb ? a.navn.localeCompare(b.navn, "nb") : sign * (na - nb);
  });
}

function gjRow(r) {
  const name = el("span", {}, r.navn);
  const wrap = el("span", { class: "gj-navn" });
  wrap.appendChild(name);
  r.flagg.forEach((f) => wrap.appendChild(el("span", { class: `flagg flagg-${f}` }, FLAG_TEXT[f])));
  if (r.tiltaksnummer) wrap.appendChild(el("span", { class: "hint" }, ` ${r.tiltaksnummer}`));
  const belegg = r.belegg === null ? null : 100 * r.belegg;
  return { cells: [{ text: r.navn, node: wrap, value: r.gjennomforing_id }, { text: r.tiltaksnavn, cls: "txt" }, cell(r.deltar), cell(r.venter), cell(r.plasser),
    Object.assign(cell(belegg, true), r.flagg.includes("overfull") ? { cls: "overfull" } : {}), cell(r.fra_lokale_kontor), cell(r.fra_andre_kontor)],
  cls: r.flagg.length ? "flagget" : "" };
}

function setupGjennomforinger(form) {
  kontorSelect("/tiltak/gjennomforinger");
  const q = readQuery();
  for (const k of ["fra", "til"]) if (q.has(k)) form.elements[k].value = q.get(k);
  const sort = { key: q.get("sorter") || "belegg", dir: q.get("retning") || "synkende" };
  let list = null;

  function drawList() {
    const header = GJ_COLUMNS.map(([key, text]) => {
      const b = el("button", { type: "button", class: "sorter", "data-sort": key }, text);
      b.addEventListener("click", () => {
        sort.dir = sort.key === key && sort.dir === "synkende" ? "stigende" : "synkende";
        sort.key = key;
        drawList(); saveQuery();
        document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
      });
      return { node: b, sort: sort.key === key ? (sort.dir === "synkende" ? "descending" : "ascending") : undefined };
    });
    const s = list.sum;
    const footer = [`Sum (${plural(s.gjennomforinger, "gjennomføring", "gjennomføringer")} med plasser)`, "", cell(s.deltar), cell(s.venter), cell(s.plasser),
      cell(s.belegg === null ? null : 100 * s.belegg, true), "", ""];
    const flagged = list.rader.filter((r) => r.flagg.length).length;
    table($("#tabell-gj"), `Gjennomføringer med plasser i uke ${list.uke}, sortert etter ${GJ_COLUMNS.find((c) => c[0] === sort.key)[1].toLowerCase()}`
      + ` (${sort.dir}). ${plural(flagged, "er merket", "er merket")}: ${Object.values(list.flagg).join(" ")}`,
    header, sortRows(list.rader, sort.key, sort.dir).map(gjRow), list.rader.length ? footer : null);
    $all("#tabell-gj .sorter").forEach((b) => b.setAttribute("aria-label", `Sorter etter ${b.textContent}`));
    $("#uten-oppsummering").textContent = `Vis ${plural(list.uten_plasser.length, "enkeltplass eller gjennomføring uten plasser", "enkeltplasser og gjennomføringer uten plasser")}`;
    table($("#tabell-uten"), `Enkeltplasser og gjennomføringer uten oppgitte plasser i uke ${list.uke}.`,
      ["Gjennomføring", "Tiltak", "Deltar", "Venter", "Type"],
      list.uten_plasser.map((r) => [r.navn, { text: r.tiltaksnavn, cls: "txt" }, cell(r.deltar), cell(r.venter), { text: r.enkeltplass ? "Enkeltplass" : "Plasser ikke oppgitt", cls: "txt" }]));
  }

  function saveQuery() {
    const p = new URLSearchParams({ kontor: form.dataset.kontor });
    for (const k of ["fra", "til"]) if (form.elements[k].value.trim()) p.set(k, form.elements[k].value.trim());
    if (sort.key !== "belegg" || sort.dir !== "synkende") { p.set("sorter", sort.key); p.set("retning", sort.dir); }
    writeQuery(p);
  }

  async function refresh() {
    const p = new URLSearchParams({ kontor: form.dataset.kontor });
    for (const [k, what] of [["fra", "Fra uke"], ["til", "Til uke"]]) {
      const v = form.elements[k].value.trim();
      const m = checkWeek(v, what, null);
      if (m) { showError(m, [form.elements[k]]); return; }
      if (v) p.set(k, v);
    }
    try {
      const weeks = await getJSON(`/api/v1/gjennomforinger/uker?${p}&rader=siste`);
      const lp = new URLSearchParams({ kontor: form.dataset.kontor, uke: weeks.periode.til });
      list = await getJSON(`/api/v1/gjennomforinger/liste?${lp}`);
      showError(null);
      form.elements.fra.value = weeks.periode.fra; form.elements.til.value = weeks.periode.til;
      const none = !weeks.uker.some((u) => u.gjennomforinger > 0);
      const box = $("#ingen-gj");
      box.hidden = !none;
      box.textContent = none ? `Ingen av deltakerne fra ${list.kontor.navn} var på en gjennomføring i ${weeks.periode.fra} – ${weeks.periode.til}. Kontorets deltakere kan være på arbeidsgivertiltak, som ikke har gjennomføringer.` : "";
      $("#chart-gj").hidden = none;
      const x = weeks.uker.map((u) => u.uke);
      if (!none) {
        await plot($("#chart-gj"), [
          { type: "bar", name: "Deltar", x, y: weeks.uker.map((u) => num(u.deltar)), marker: { color: PALETTE[0] } },
          { type: "bar", name: "Venter", x, y: weeks.uker.map((u) => num(u.venter)), marker: { color: PALETTE[1] } },
          { type: "scatter", mode: "lines+markers", name: "Plasser", x, y: weeks.uker.map((u) => u.plasser), line: { color: PALETTE[2], width: 3 } },
          { type: "scatter", mode: "lines", name: "Belegg (%)", x, y: weeks.uker.map((u) => (u.belegg === null ? null : 100 * u.belegg)), yaxis: "y2", line: { color: PALETTE[4], dash: "dot" } },
        ], { barmode: "group", margin: { t: 16, r: 72, b: 48, l: 64 }, yaxis: { title: { text: "Personer / plasser" } },
          yaxis2: { title: { text: "Belegg (%)" }, overlaying: "y", side: "right", ticksuffix: " %", automargin: true, tickformat: ",d", showgrid: false,
            range: [0, Math.max(100, ...weeks.uker.map((u) => (u.belegg === null ? 0 : 110 * u.belegg)))], dtick: 20 } },
        { filename: `belegg_${form.dataset.kontor}` });
      }
      drawList();
      table($("#tabell-uker"), `Belegg per uke, ${weeks.periode.fra}–${weeks.periode.til} (deltar og plasser for gjennomføringer med plasser).`,
        ["Uke", "Gjennomføringer", "Deltar", "Venter", "Plasser", "Belegg (%)"],
        weeks.uker.map((u) => [u.uke, cell(u.gjennomforinger), cell(u.deltar), cell(u.venter), cell(u.plasser), cell(u.belegg === null ? null : 100 * u.belegg, true)]));
      setExport("gj", "/api/v1/gjennomforinger/liste", lp);
      setExport("uker", "/api/v1/gjennomforinger/uker", p, false);
      form.dataset.apiUrl = `/api/v1/gjennomforinger/liste?${lp}`;
      $("#status").textContent = `Viser ${weeks.periode.fra} – ${weeks.periode.til}; listen gjelder uke ${list.uke}.`;
      saveQuery();
      document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
    } catch (e) { showError(e.message, [form.elements.fra, form.elements.til]); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  refresh();
}

function setupDatakvalitet(form) {
  kontorSelect("/tiltak/datakvalitet");
  const q = readQuery();
  for (const k of ["fra", "til"]) if (q.has(k)) form.elements[k].value = q.get(k);
  async function refresh() {
    const p = new URLSearchParams();
    if (form.elements.kontor.value) p.set("kontor", form.elements.kontor.value);
    for (const k of ["fra", "til"]) if (form.elements[k].value.trim()) p.set(k, form.elements[k].value.trim());
    const url = `/api/v1/datakvalitet?${p}`;
    try {
      const d = await getJSON(url);
      showError(null);
      form.elements.fra.value = d.periode.fra; form.elements.til.value = d.periode.til;
      const x = d.uker.map((u) => u.uke);
      const reasons = d.kolonner.filter((k) => k.verdi !== "antall_telt");
      await plot($("#chart-dk"), reasons.map((k, i) => ({
        type: "scatter", mode: "lines+markers", name: k.navn, x, y: d.uker.map((u) => u.andel[k.verdi]),
        line: { color: PALETTE[(i + 1) % PALETTE.length] },
      })), { yaxis: { title: { text: "Andel (%)" }, ticksuffix: " %", tickformat: ",.1f" } }, { counts: false, filename: "datakvalitet" });
      const header = ["Uke"];
      d.kolonner.forEach((k) => { header.push(k.navn); if (k.verdi !== "antall_telt") header.push(`${k.navn} (%)`); });
      const line = (label, u) => {
        const r = [label];
        d.kolonner.forEach((k) => { r.push(cell(u[k.verdi])); if (k.verdi !== "antall_telt") r.push(cell(u.andel[k.verdi], true)); });
        return r;
      };
      table($("#tabell-dk"), `Datakvalitet per uke, ${d.kontor ? d.kontor.navn : "alle kontor"}, ${d.periode.fra}–${d.periode.til}. Andelene er av telte deltakelser; «Ikke telt» er andel av alle.`,
        header, d.uker.map((u) => line(u.uke, u)), line("Hele perioden", d.totalt));
      const dl = $("#forklaringer");
      dl.replaceChildren();
      d.kolonner.forEach((k) => { dl.appendChild(el("dt", {}, k.navn)); dl.appendChild(el("dd", {}, k.forklaring)); });
      const note = $("#merknad");
      note.hidden = !d.merknad; note.textContent = d.merknad || "";
      setExport("dk", "/api/v1/datakvalitet", p);
      form.dataset.apiUrl = url;
      $("#status").textContent = `Viser ${d.periode.fra} – ${d.periode.til} for ${d.kontor ? `${d.kontor.navn} (${d.kontor.enhetsnummer})` : "alle kontor"}.`;
      writeQuery(p);
      document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
    } catch (e) { showError(e.message, [form.elements.fra, form.elements.til]); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  refresh();
}
