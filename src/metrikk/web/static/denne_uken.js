/* «Denne uken»: number tiles and tiltak × avdeling for one week, with the change from last
   week and from the same week last year. Drawn from /api/v1/tiltak/denne-uken. */
"use strict";

const DU_KEYS = ["uke", "rader", "kolonner", "celler"];

function changeText(e, pct) {
  if (!e || e.antall === null) return "–";
  const n = signed(e.antall, pct);
  return e.prosent === null ? n : `${n} (${signed(e.prosent, true)} %)`;
}
function changeCls(e) { return !e || e.antall === null || e.antall === 0 ? "" : e.antall > 0 ? "opp" : "ned"; }

function tile(f, data) {
  const li = el("li", { class: "tile", "data-tile": f.id });
  const head = el("div", { class: "tile-head" });
  head.appendChild(el("span", { class: "tile-name" }, f.navn));
  head.appendChild(helpNode(f.navn, f.hjelp_tekst));
  li.appendChild(head);
  const pct = f.enhet === "prosent";
  li.appendChild(el("div", { class: "tile-value" }, f.antall === null ? "–" : pct ? `${fmt(f.antall, true)} %` : fmt(f.antall)));
  const line = (text, e, cmp) => {
    const p = el("p", { class: `tile-change ${changeCls(e)}` });
    // A share changes in percentage points; a count in number and per cent.
    const change = pct ? (e.antall === null ? "–" : `${signed(e.antall, true)} prosentpoeng`) : changeText(e);
    p.textContent = cmp === null ? `${text}: ingen data` : `${text}: ${change}`;
    return p;
  };
  li.appendChild(line(`Fra uke ${data.uke.forrige || "–"}`, f.endring_uke, f.forrige_uke));
  li.appendChild(line(`Fra samme uke i fjor`, f.endring_aar, f.i_fjor));
  return li;
}

function renderDenneUken(d, mode) {
  $("#fliser").replaceChildren(...d.fliser.map((f) => tile(f, d)));
  const pick = (fig) => {
    if (mode === "antall") return cell(fig.antall);
    const e = mode === "endring_uke" ? fig.endring_uke : fig.endring_aar;
    return { text: changeText(e), value: e.antall === null ? "" : String(e.antall), cls: changeCls(e),
      title: `Nå ${fmt(fig.antall)}, ${mode === "endring_uke" ? "forrige uke" : "i fjor"} ${fmt(mode === "endring_uke" ? fig.forrige_uke : fig.i_fjor)}` };
  };
  const header = [d.rader_navn].concat(d.kolonner.map((c) => c.navn), ["Totalt (unike personer)", "Endring fra forrige uke", "Endring fra samme uke i fjor"]);
  const rows = d.rader.map((r) => [r.navn].concat(r.celler.map(pick), [cell(r.totalt.antall),
    { text: changeText(r.totalt.endring_uke), cls: changeCls(r.totalt.endring_uke), value: r.totalt.endring_uke.antall ?? "" },
    { text: changeText(r.totalt.endring_aar), cls: changeCls(r.totalt.endring_aar), value: r.totalt.endring_aar.antall ?? "" }]));
  const t = d.totalt;
  const footer = ["Totalt (unike personer)"].concat(d.totalt_per_kolonne.map(pick), [cell(t.antall),
    { text: changeText(t.endring_uke), cls: changeCls(t.endring_uke), value: t.endring_uke.antall ?? "" },
    { text: changeText(t.endring_aar), cls: changeCls(t.endring_aar), value: t.endring_aar.antall ?? "" }]);
  const what = { antall: "Unike personer", endring_uke: "Endring fra forrige uke i unike personer", endring_aar: "Endring fra samme uke i fjor i unike personer" }[mode];
  table($("#tabell-du"), `${what} per ${d.rader_navn.toLowerCase()} og ${d.kolonner_navn.toLowerCase()}, ${d.kontor.navn}, uke ${d.uke.verdi}.`
    + ` Totalene er unike personer, ikke summen av cellene.`, header, rows, footer);
  $("#tabell-tittel").firstChild.textContent = `Personer på tiltak per ${d.kolonner_navn.toLowerCase()}, uke ${d.uke.verdi} `;
}

function setupDenneUken(form) {
  kontorSelect("/tiltak/denne-uken");
  const q = readQuery();
  for (const k of DU_KEYS) if (q.has(k) && form.elements[k]) form.elements[k].value = q.get(k);
  let seq = 0;
  let last = null;
  async function refresh() {
    const fd = new FormData(form);
    const uke = (fd.get("uke") || "").trim();
    const msg = checkWeek(uke, "Uke", null);
    if (msg) { showError(msg, [$("#uke")]); return; }
    showError(null);
    const p = new URLSearchParams({ kontor: form.dataset.kontor, rader: fd.get("rader"), kolonner: fd.get("kolonner") });
    if (uke) p.set("uke", uke);
    const url = `/api/v1/tiltak/denne-uken?${p}`;
    const my = ++seq;
    try {
      const d = await getJSON(url);
      if (my !== seq) return;
      last = d;
      renderDenneUken(d, fd.get("celler"));
      form.elements.uke.value = d.uke.verdi;
      setExport("du", "/api/v1/tiltak/denne-uken", p);
      $("#denne-uken") && ($("#denne-uken").dataset.apiUrl = url);
      form.dataset.apiUrl = url;
      let status = `Uke ${d.uke.verdi} (${d.uke.start} – ${d.uke.slutt}) for ${d.kontor.navn} (${d.kontor.enhetsnummer}), sammenlignet med uke ${d.uke.forrige || "–"}`
        + (d.uke.i_fjor ? ` og uke ${d.uke.i_fjor} i fjor.` : `. Samme uke i fjor: ${d.uke.i_fjor_mangler}`);
      if (d.uke.verdi !== d.uke.siste) status += ` Siste uke med data er ${d.uke.siste}.`;
      $("#status").textContent = status;
      const page = new URLSearchParams({ kontor: form.dataset.kontor });
      for (const k of DU_KEYS) { const v = (new FormData(form).get(k) || "").trim(); if (v) page.set(k, v); }
      writeQuery(page);
      document.body.dataset.ready = String(my);
    } catch (e) { if (my === seq) showError(e.message, [$("#uke")]); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  form.addEventListener("change", (e) => {
    if (e.target.id === "kontor" || e.target.type === "text") return;
    if (e.target.id === "celler" && last) {
      renderDenneUken(last, e.target.value);
      const page = readQuery(); page.set("celler", e.target.value); writeQuery(page);
      document.body.dataset.ready = String(++seq);
      return;
    }
    refresh();
  });
  refresh();
}
