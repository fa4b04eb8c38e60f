"""Small-count suppression with complementary suppression (`metrikk serve --min-antall K`).

Primary suppression hides every count 1 … K-1 (zero stays visible: it reveals nobody). A count
can also be worked out from what is shown: a row total minus the visible cells of the row. So
the figures a view shows are described as *lines* (a group of cells plus the total they roll up
to); whenever a line holds exactly one hidden figure, the smallest visible non-zero cell of that
line is hidden as well (the total only when no cell is left). This repeats until no line has a
lone hidden figure. The totals are distinct-person counts, so they are not exact sums of their
cells; treating them as sums is the conservative choice (it hides at least what a sum would need).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping


def label(k: int) -> str:
    return f"<{k}"


def suppress(
    values: Mapping[Hashable, int],
    lines: Iterable[list[Hashable]],
    k: int | None,
    totals: Iterable[Hashable] = (),
) -> set[Hashable]:
    """Return the keys of `values` to hide so no hidden count can be derived from a line."""
    if not k or k <= 1:
        return set()
    hidden = {key for key, v in values.items() if 0 < v < k}
    lines = [[key for key in line if key in values] for line in lines]
    lines = [line for line in lines if len(line) > 1]
    total_keys = set(totals)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in hidden) != 1:
                continue
            candidates = [key for key in line if key not in hidden and values[key] > 0]
            if not candidates:
                continue
            cells = [key for key in candidates if key not in total_keys]
            pick = min(cells or candidates, key=lambda key: (values[key], str(key)))
            hidden.add(pick)
            changed = True
    return hidden


def show(value: int, key: Hashable, hidden: set[Hashable], k: int | None) -> int | str:
    """The value as shown: the number, or "<K" when it is hidden."""
    return label(k) if key in hidden and k else value
