"""Quick check while building."""
from conftest import kriterium


def test_smoke(sources, build, query):
    """Models run on a minimal set of audit rows."""
    sources.krav("k1", "2022-01-01T00:00:00", nummer=101)
    sources.dok_own("d1", "2025-05-01T10:00:00")
    sources.svar_own("e1", "2025-05-02T10:00:00", krav=101, dok="d1", kriterier=[kriterium(1, "OPPFYLT")])
    build()
    print(query("SELECT * FROM etterlevelse.stage_besvarelser"))
    print(query("SELECT * FROM etterlevelse.stage_dokument"))
    assert False
