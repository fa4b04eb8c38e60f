"""`arbeidsgiver_avtale_hendelse`: arbeidsgiver avtaler as versioned events
(tiltak-dvh-melding).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.codes import KIND_AG, O_DONE, O_EARLY
from metrikk.generate.tiltak.params import KEEP_FROM, NIGHT_RATE
from metrikk.generate.tiltak.util import (
    NULL,
    US_MIN,
    categorical,
    dates,
    hash_u,
    key,
    person_ids,
    stamp_at,
    stamps,
    uuids,
)


def avtaler(seed, units, people, dl, until_d, until_end):
    """Arbeidsgiver avtaler as versioned events (tiltak-dvh-melding)."""
    sel = np.flatnonzero(dl["kind"] == KIND_AG)
    d = {k: v[sel] for k, v in dl.items()}
    n = len(sel)
    ak = key("avtale", people.key[d["person"]], d["k"])
    u = lambda salt: hash_u(ak, salt)  # noqa: E731
    req, start, end, outcome = d["req"], d["start"], d["end"], d["outcome"]
    took = (outcome == O_DONE) | (outcome == O_EARLY)
    annullert = ~took
    # planned end: shorter at first and extended (FORLENGET) for some, or shortened (FORKORTET)
    forlenget = took & (outcome == O_DONE) & (u("forl") < 0.2) & (end - start > 60)
    planned = np.where(
        forlenget,
        start + ((end - start) * (0.5 + 0.3 * u("forlp"))).astype(np.int64),
        d["planned_end"],
    )
    planned = np.where(outcome == O_EARLY, np.maximum(d["planned_end"], end + 30), planned)
    # events in order (day of each; -1 = absent)
    ev_names = [
        "OPPRETTET",
        "GODKJENT_AV_ARBEIDSGIVER",
        "GODKJENT_AV_DELTAKER",
        "AVTALE_INNGÅTT",
        "STATUSENDRING",
        "AVTALE_FORLENGET",
        "AVTALE_FORKORTET",
        "ANNULLERT",
    ]
    ev_col_type = np.array([0, 1, 2, 3, 4, 5, 6, 4, 7])  # column -> hendelse type
    ne = len(ev_col_type)
    pres = np.zeros((n, ne), dtype=bool)
    eday = np.zeros((n, ne), dtype=np.int64)
    est = np.zeros((n, ne), dtype=np.int64)  # index into ref.AVTALE_STATUS
    eslutt = np.zeros((n, ne), dtype=np.int64)
    t_opp = req
    t_ag = req + 1 + (u("ag") * 9).astype(np.int64)
    t_dl = t_ag + (u("dl") * 4).astype(np.int64)
    t_inng = np.minimum(t_dl + 1 + (u("inng") * 6).astype(np.int64), np.maximum(start, t_dl))
    pres[:, 0] = True
    eday[:, 0], est[:, 0] = t_opp, 0
    pres[:, 1] = u("pag") < 0.85
    eday[:, 1], est[:, 1] = t_ag, 1
    pres[:, 2] = u("pdl") < 0.5
    eday[:, 2], est[:, 2] = t_dl, 1
    pres[:, 3] = took
    eday[:, 3] = t_inng
    est[:, 3] = np.where(start > t_inng, 2, 3)
    pres[:, 4] = took & (start > t_inng)
    eday[:, 4], est[:, 4] = start, 3
    pres[:, 5] = forlenget
    eday[:, 5] = np.maximum(start + (planned - start) * 3 // 4, start + 1)
    est[:, 5] = 3
    pres[:, 6] = took & (outcome == O_EARLY)
    eday[:, 6] = np.maximum(end - (u("fk") * 5).astype(np.int64), start + 1)
    est[:, 6] = 3
    pres[:, 7] = took
    eday[:, 7], est[:, 7] = end + 1, 4
    pres[:, 8] = annullert
    eday[:, 8] = np.maximum(t_dl + 1 + (u("ann") * 20).astype(np.int64), t_opp + 1)
    est[:, 8] = 5
    # slutt_dato as the avtale said at each version
    eslutt[:, :5] = planned[:, None]
    eslutt[:, 5] = end
    eslutt[:, 6] = end
    eslutt[:, 7] = np.where(forlenget | (outcome == O_EARLY), end, planned)
    eslutt[:, 8] = planned
    eslutt[:, 7] = end
    ts = np.zeros((n, ne), dtype=np.int64)
    last = np.full(n, NULL)
    for c in range(ne):
        t = stamp_at(eday[:, c], u(f"t{c}"), u(f"n{c}"), NIGHT_RATE)
        t = np.where(last != NULL, np.maximum(t, last + US_MIN), t)
        ts[:, c] = t
        last = np.where(pres[:, c], t, last)
    keep_avtale = ~((end < KEEP_FROM) & (req < KEEP_FROM))
    vis = pres & (ts < until_end) & keep_avtale[:, None]
    versjon = np.cumsum(vis, axis=1)
    ri, ci = np.nonzero(vis)
    pidx = d["person"][ri]
    ev_day = eday[ri, ci]
    opp_office = people.kontor_at(ev_day, pidx)
    geo = people.lokal_at(ev_day, pidx)
    geo = np.where(hash_u(ak[ri], "geo") < 0.08, people.home[pidx], geo)
    unit_labels = units.nr
    hendelse = {
        "hendelse_id": uuids(key("hendelse", ak[ri], ci), seed),
        "avtale_id": uuids(ak[ri], seed),
        "tidspunkt": stamps(ts[ri, ci]),
        "hendelse_type": categorical(ev_col_type[ci], ev_names),
        "versjon": pa.array(versjon[ri, ci], type=pa.int64()),
        "person_id": person_ids(people.key[pidx], seed),
        "tiltakstype": categorical(d["code"][ri], ref.CODES),
        "avtale_status": categorical(est[ri, ci], ref.AVTALE_STATUS),
        "start_dato": dates(start[ri]),
        "slutt_dato": dates(eslutt[ri, ci]),
        "enhet_oppfolging": categorical(
            opp_office, unit_labels, mask=hash_u(ak[ri], "noopp") < 0.01
        ),
        "enhet_geografisk": categorical(geo, unit_labels),
    }
    return {
        "hendelse": hendelse,
        "person_idx": np.unique(pidx),
        "_units": set(np.unique(np.concatenate([opp_office, geo])).tolist()),
    }
