"""Disclosure control for counts of people: small-count suppression, rounding to base 2K, and
filters of one value or all values.

With `metrikk serve --min-antall K` (or `METRIKK_MIN_ANTALL`), K at least `MIN_K`, every number
the app shows that counts people goes through `protect`:

- 0 stays 0;
- 1 … K-1 is hidden («<K» in our API, pages and exports; `null` on the Brum routes);
- every other count, totals included, is rounded to the nearest multiple of the base 2K (halves
  up) and never shown below 2K: K … 3K-1 is shown as 2K, 3K … 5K-1 as 4K, and so on.

Anything derived from such counts (shares, belegg, the size order) is computed from the protected
numbers, or hidden when they are hidden. And every filter of a dimension selects one value or all
of them (`selection`): the totals are distinct counts over whatever set of values a person picks,
so arbitrary sets would give the attacker the total of every subset of cells.

Why this and not complementary suppression, why base 2K and why one or all, and what it still
reveals: docs/decisions.md, "Disclosure control", with the measured residual risk
(benchmarks/bench_disclosure.py).
"""

from __future__ import annotations

from metrikk.settings import SettingsError

MIN_K = 5
"""The smallest K the app accepts (below it one table with its total gives hidden counts back)."""


def check_k(k: int | None) -> int | None:
    """K as the app uses it (None: no protection); a K below MIN_K is a SettingsError."""
    if k is None:
        return None
    if k < MIN_K:
        raise SettingsError(
            f"--min-antall (METRIKK_MIN_ANTALL) må være minst {MIN_K}, ikke {k}: med en lavere "
            f"grense kan skjulte tall regnes ut igjen fra tallene som vises ved siden av dem. "
            f"Uten --min-antall vises eksakte tall."
        )
    return k


def parse_k(text: str | None) -> int | None:
    """K from METRIKK_MIN_ANTALL (unset or empty: None), checked like --min-antall."""
    if text is None or not text.strip():
        return None
    try:
        k = int(text.strip())
    except ValueError:
        raise SettingsError(
            f"METRIKK_MIN_ANTALL må være et helt tall (minst {MIN_K}), ikke «{text}»."
        ) from None
    return check_k(k)


def base(k: int) -> int:
    """The rounding base under K: every shown count but 0 is a multiple of it."""
    return 2 * k


def label(k: int) -> str:
    """How our own API, pages and exports show a hidden count."""
    return f"<{k}"


def protect(value: int, k: int | None) -> int | None:
    """The count as shown under K: the number itself without K; None when it is hidden."""
    if not k or value <= 0:
        return value
    if value < k:
        return None
    b = base(k)
    return max(b, (2 * value + b) // (2 * b) * b)  # nearest multiple of 2K, halves up; >= 2K


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


def note(k: int) -> str:
    """The sentence the pages show above counts of people under K."""
    return f"Tall under {k} vises ikke; andre tall er avrundet til nærmeste {base(k)}."


class RefusedSelection(ValueError):
    """A filter selection refused under K; the message is for a person (bokmål)."""


# name -> (one value, the values): how the refusal names a dimension's values.
SELECTION_WORDS = {
    "avdeling": ("én avdeling", "avdelinger"),
    "innsatsgruppe": ("én innsatsgruppe", "innsatsgrupper"),
    "tiltakskode": ("ett tiltak", "tiltak"),
    "tiltakskategori": ("én tiltakskategori", "tiltakskategorier"),
    "tiltaksgruppe": ("én tiltaksgruppe", "tiltaksgrupper"),
}


def selection(
    name: str, values: list[str] | tuple[str, ...], every: set[str], k: int | None
) -> tuple[str, ...]:
    """The values of the filter `name` as the app counts them.

    Without K, as asked. Under K (duplicates dropped) one value, or all values: no value, or
    every value of `every` (the dimension's filter options), which counts as no filter at all.
    Any other set is refused (RefusedSelection): with arbitrary sets, the totals of every subset
    of cells (distinct counts) together give hidden counts back (docs/decisions.md).
    """
    if not k:
        return tuple(values)
    chosen = tuple(dict.fromkeys(values))
    if len(chosen) <= 1:
        return chosen
    if set(chosen) >= every:
        return ()
    one, many = SELECTION_WORDS.get(name, ("én verdi", "verdier"))
    raise RefusedSelection(
        f"Med skjerming av små tall kan du velge én verdi eller alle i hvert filter. "
        f"Filteret «{name}» har {len(chosen)} av {len(every)} {many}: velg {one} eller alle. "
        f"Totaler for vilkårlige utvalg kan til sammen avsløre tall som er skjult."
    )
