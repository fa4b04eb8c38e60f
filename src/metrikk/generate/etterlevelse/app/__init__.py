"""Synthetic Støtte til etterlevelse: the audit log in every era's shape and the current tables
(research §1.1-1.4, §2.1-2.9).

One module per entity: `codelist`, `krav`, `dokument` (+ `dokument_payload`), `besvarelser`,
`metadata`, `relasjoner`, `pvk` (+ risikoscenario, tiltak), `meldinger` (+ tilbakemelding);
`common` holds what they share and `codes` the code values. `AppGenerator.run` draws them in
a fixed order, so the random draws, and with them the rows, are the same for a seed.
"""

from __future__ import annotations

from metrikk.generate.etterlevelse.app.besvarelser import BesvarelserMixin
from metrikk.generate.etterlevelse.app.codelist import CodelistMixin
from metrikk.generate.etterlevelse.app.dokument import DokumentMixin
from metrikk.generate.etterlevelse.app.dokument_payload import DokumentPayloadMixin
from metrikk.generate.etterlevelse.app.krav import KravMixin
from metrikk.generate.etterlevelse.app.meldinger import MeldingerMixin
from metrikk.generate.etterlevelse.app.metadata import MetadataMixin
from metrikk.generate.etterlevelse.app.pvk import PvkMixin
from metrikk.generate.etterlevelse.app.relasjoner import RelasjonerMixin


class AppGenerator(
    CodelistMixin,
    KravMixin,
    DokumentMixin,
    DokumentPayloadMixin,
    BesvarelserMixin,
    MetadataMixin,
    RelasjonerMixin,
    PvkMixin,
    MeldingerMixin,
):
    """The Støtte til etterlevelse audit log and current tables of one seed."""

    def run(self) -> dict[str, dict[str, list]]:
        self.codelists()
        self.krav()
        self.docs()
        self.relations()
        self.pvk()
        self.noise()
        self.tilbakemeldinger()
        return self.current
