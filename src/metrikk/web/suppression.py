"""Disclosure control for counts of people: small-count suppression plus rounding.

With `metrikk serve --min-antall K` (or `METRIKK_MIN_ANTALL`) every number the app shows that
counts people goes through `protect`:

- 0 stays 0 (a true zero reveals nobody);
- 1 … K-1 is hidden («<K» in our API, pages and exports; `null` on the Brum routes);
- every other count, totals included, is rounded to the nearest multiple of K (halves up),
  which is never below K.

Anything derived from such counts (shares, belegg) is computed from the protected numbers, or
hidden when they are hidden. Why rounding and not complementary suppression inside a response:
the totals are distinct counts over whatever filter set a person picks, so a hidden cell could be
recovered as the difference of two totals of two different requests (503 − 500). With every shown
count rounded, a difference of two shown numbers is uncertain by about ±K. docs/decisions.md
has the reasoning and the limits (what a determined analyst can still infer by combining many
figures).
"""

from __future__ import annotations


def label(k: int) -> str:
    """How our own API, pages and exports show a hidden count."""
    return f"<{k}"


def protect(value: int, k: int | None) -> int | None:
    """The count as shown under K: the number itself without K; None when it is hidden."""
    if not k or k <= 1 or value <= 0:
        return value
    if value < k:
        return None
    return (2 * value + k) // (2 * k) * k  # nearest multiple of K, halves up; >= K here


def shown(value: int, k: int | None) -> int | str:
    """The count as our own API shows it: the protected number, or «<K»."""
    p = protect(value, k)
    return label(k) if p is None else p  # type: ignore[arg-type]


def ratio(
    count: int, denominator: int | None, k: int | None, digits: int | None = 4
) -> float | None:
    """count / denominator from the protected count (None when hidden or no denominator)."""
    p = protect(count, k)
    if p is None or not denominator:
        return None
    return p / denominator if digits is None else round(p / denominator, digits)
