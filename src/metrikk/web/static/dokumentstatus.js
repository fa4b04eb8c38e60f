/* metrikk dashboard: the Etterlevelse leader page /etterlevelse/dokumentstatus. Drawn from its
   JSON twin /api/v1/etterlevelse/dokumentstatus (helpers in felles.js); the choices live in the
   address, so reload and share give the same view. */
"use strict";

/* The funnel's colours, from not started (grey) to approved (green). */
const DS_FARGER = {
  IKKE_PAABEGYNT: "#9aa1ab", UNDER_ARBEID: "#ff9100", SENDT_TIL_GODKJENNING: "#0067c5", GODKJENT_AV_RISIKOEIER: "#06893a",
};

function dsOptions(select, choices, chosen, allLabel) {
  select.replaceChildren(el("option", { value: "" }, allLabel));
  choices.forEach((c) => {
    const o = el("option", { value: c.verdi }, c.navn);
    if (c.verdi === chosen) o.selected = true;
    select.appendChild(o);
  });
}

function dsParams(form) {
  const p = new URLSearchParams();
  ["avdeling", "seksjon", "team", "fra", "til"].forEach((k) => {
    const v = (form.elements[k].value || "").trim();
    if (v) p.set(k, v);
  });
  return p;
}

function setupDokumentstatus(form) {
  const api = form.dataset.api;
  const q = readQuery();
  ["fra", "til"].forEach((k) => { if (q.get(k)) form.elements[k].value = q.get(k); });
  let wanted = { avdeling: q.get("avdeling") || "", seksjon: q.get("seksjon") || "", team: q.get("team") || "" };
  let drawn = 0;

  async function drawDokumenter(d, params) {
    const box = $("#dokumenter");
    const avdeling = d.filtre.avdeling;
    if (!avdeling) { box.hidden = true; return; }
    const p = new URLSearchParams();
    p.set("avdeling", avdeling);
    p.set("uke", d.periode.til);
    if (d.filtre.seksjon) p.set("seksjon", d.filtre.seksjon);
    if (d.filtre.team) p.set("team", d.filtre.team);
    const dok = await getJSON(`${api}/dokumenter?${p}`);
    box.hidden = false;
    $("#dokumenter-tittel").textContent = `Dokumenter i ${avdeling}, uke ${dok.uke} (${plural(dok.antall, "dokument", "dokumenter")})`;
    setExport("dok", `${api}/dokumenter`, p);
    const t = dok.tabell;
    table($("#tabell-dok"), `Dokumenter i ${avdeling} ved slutten av uke ${dok.uke}. Filtre: ${dok.filtre_tekst}.`,
      t.kolonner, t.rader.map((r) => r.map((c) => cell(c))));
  }

  async function refresh() {
    showError(null);
    const params = dsParams(form);
    ["avdeling", "seksjon", "team"].forEach((k) => { if (wanted[k]) params.set(k, wanted[k]); });
    const my = ++drawn;
    try {
      const d = await getJSON(`${api}?${params}`);
      if (my !== drawn) return;
      writeQuery(params);
      dsOptions(form.elements.avdeling, d.valg.avdelinger, d.filtre.avdeling || "", "Alle avdelinger");
      dsOptions(form.elements.seksjon, d.valg.seksjoner, d.filtre.seksjon || "", "Alle seksjoner");
      dsOptions(form.elements.team, d.valg.team, d.filtre.team || "", "Alle team");
      wanted = { avdeling: "", seksjon: "", team: "" };
      const x = d.uker.map((u) => u.uke);
      const traces = d.statuser.map((s) => ({
        type: "bar", name: s.navn, x, y: d.uker.map((u) => u[s.kode]), marker: { color: DS_FARGER[s.kode] },
        hovertemplate: `%{x}<br>${s.navn}: %{y}<extra></extra>`,
      }));
      await plot($("#chart-ds"), traces, { barmode: "stack", yaxis: { title: { text: "Dokumenter" } } },
        { filename: `dokumentstatus_${d.periode.fra}_${d.periode.til}` });
      const t = d.tabell;
      const status = `Uke ${d.periode.fra} – ${d.periode.til}. Filtre: ${d.filtre_tekst}. Data til og med ${d.siste_uke}.`;
      table($("#tabell-ds"), `Dokumenter per status ved slutten av hver uke. ${status}`, t.kolonner,
        t.rader.map((r) => r.map((c) => cell(c))));
      setExport("ds", api, params);
      $("#status").textContent = status;

      const a = d.avdelinger;
      $("#avdelinger-tittel").textContent = `Avdelinger, uke ${a.uke}`;
      table($("#tabell-avdelinger"), `Dokumenter per avdeling og status ved slutten av uke ${a.uke}.`, a.kolonner,
        a.rader.map((r) => r.map((c, i) => {
          if (i !== 0) return cell(c);
          const b = el("button", { type: "button", class: "btn-link avdeling-valg", "data-avdeling": c }, c);
          b.addEventListener("click", () => { wanted = { avdeling: c, seksjon: "", team: "" }; form.elements.avdeling.value = c; refresh(); });
          return { text: c, node: b };
        })));

      const sk = d.suksesskriterier;
      $("#suksess-tittel").textContent = `Suksesskriterier per tema, uke ${sk.uke}${d.filtre.avdeling ? ` – ${d.filtre.avdeling}` : ""}`;
      table($("#tabell-suksess"), `Suksesskriterier i gjeldende svar ved slutten av uke ${sk.uke}.`,
        ["Tema", "Oppfylt", "Under arbeid", "Ikke relevant", "Ikke oppfylt", "Ikke påbegynt", "I alt", "Andel oppfylt"],
        sk.tema.map((r) => [r.temaNavn, r.oppfylt, r.underArbeid, r.ikkeRelevant, r.ikkeOppfylt, r.ikkePaabegynt, r.totalt,
          r.andelOppfylt === null ? "–" : `${pf.format(r.andelOppfylt * 100)} %`].map((c) => cell(c))));

      await drawDokumenter(d, params);
      if (my !== drawn) return;
      document.body.dataset.ready = String(my);  // a counter: tests wait for a newer draw
    } catch (e) { showError(e.message, $all("input[type=text]", form)); document.body.dataset.ready = String(my); }
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  form.addEventListener("change", (e) => {
    if (e.target.type === "text") return;
    if (e.target.name === "avdeling") { form.elements.seksjon.value = ""; form.elements.team.value = ""; }
    refresh();
  });
  refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-page=dokumentstatus]");
  if (form) setupDokumentstatus(form);
});
