"""`generate --domain tiltak --form kilder`: the same synthetic world in NAV's own source shapes.

`generate` builds the contract-shaped tables exactly as `--form kontrakt` does and hands them,
chunk by chunk, to a writer. `KilderWriter` is that writer for the kilder form: instead of
writing `tiltak_bronze` it transforms each table in memory into the raw source tables declared
in `pipeline/kilder.yaml` (one DuckDB schema per source, `datasett`), adding the quirks of the
real sources that the source layer (`tiltak_kilde`) must undo. So the world is the same by
construction; see docs/generate-tiltak.md, "The kilder form", for every quirk and why.

Ids that both shapes share keep their value (deltaker, status, gjennomføring, avtale); persons
become fødselsnummer and aktør-id (`identer.py`); §14a vedtak become behandlinger with integer
ids; Team Tiltak events become Kafka records. Every random choice is a hash of the row's key,
and running numbers (behandling_id, sekvensnummer, kontorhistorikk id, Kafka offsets) follow the
fixed chunk order, so the same seed gives the same rows.

`writer.py` holds the writer; each source system has a module of its own (`valp`, `norg2`,
`komet`, `team_tiltak`, `veilarboppfolging`, `vedtak_14a`, `ao_oppfolgingskontor`), and
`arrow.py` the vectorised helpers they share.
"""

from metrikk.generate.tiltak.kilder.writer import KilderWriter, raw_tables

__all__ = ["KilderWriter", "raw_tables"]
