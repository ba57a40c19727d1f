"""PL footnotes: the text generated from the rates on file, and notes that contradict them.

A contribution's footnote states the PL rate it was indexed with; typed by hand it is easily
left at last year's rate. The rates on file are the authority: the program suggests the text
and warns when a note's percentage is not a rate of the years it is about.
"""

from __future__ import annotations

import re
from decimal import Decimal

from kkr_desktop.core.indexation import PLRate
from kkr_desktop.core.money import format_amount, format_rate
from kkr_desktop.core.statement import Column, Role, Statement, Warning

# A note speaks of PL when it says so; only such notes are held to the rates.
_PL_WORDS = re.compile(r"pris- og løn|\bPL\b", re.IGNORECASE)
_PERCENT = re.compile(r"(-?\d+(?:,\d+)?)\s*%")


def rate_year(column: Column, year: int) -> int:
    """The year whose rate (N−1→N) a column's contribution was indexed with."""
    return year if column is Column.BUDGET else year - 1


def suggest_note(column: Column, year: int, rate: PLRate | None,
                 missing: int = 0) -> str | None:
    """The footnote for the contribution in `column` of statement `year`, from `rate` (the
    rate of `rate_year(column, year)`), or None when the rate needed is not on file.
    `missing` is regnskab's efterregulering not charged (check_actual_contribution)."""
    if rate is None:
        return None
    y = rate_year(column, year)
    if column is Column.ACTUAL_PREV:
        if rate.final is None:
            return None
        if missing and rate.expected is not None:
            word = "efterreguleringen" if missing > 0 else "tilbagebetalingen"
            return (f"Beløbet er opkrævet med den forventede pris- og lønudvikling "
                    f"{y - 1}→{y} ({format_rate(rate.expected)}); den endelige sats blev "
                    f"{format_rate(rate.final)}, og {word} på "
                    f"{format_amount(abs(missing))} kr. er ikke med i regnskabet.")
        if rate.expected is None or rate.final == rate.expected:
            return (f"Beløbet er reguleret med den endelige pris- og lønudvikling "
                    f"{y - 1}→{y} ({format_rate(rate.final)}).")
        word = "højere" if rate.final > rate.expected else "lavere"
        return (f"Beløbet er reguleret med den endelige pris- og lønudvikling "
                f"{y - 1}→{y} ({format_rate(rate.final)}) og er dermed {word} end den "
                f"først antagne sats ({format_rate(rate.expected)}).")
    if rate.expected is None:
        return None
    text = (f"Det indkrævede beløb for {y - 1} fremskrevet med den forventede pris- og "
            f"lønudvikling ({format_rate(rate.expected)}).")
    if column is Column.BUDGET or rate.final is None:
        return text + f" Beløbet reguleres til den endelige sats ved opkrævningen ultimo {y}."
    return text + (f" Den endelige sats blev {format_rate(rate.final)}; se regnskab {y}."
                   if rate.final != rate.expected else "")


def suggestions(st: Statement, rates: dict[int, PLRate], warnings: list[Warning] = ()
                ) -> list[tuple[str, Column, str]]:
    """(line, column, text) for every contribution amount without a note, or whose note
    contradicts the rates or claims a regulation regnskab lacks (`warnings`: the statement's
    checks, which say so)."""
    flagged = {(w.line, w.column) for w in warnings
               if w.code in ("pl_note_contradicts_rates", "actual_contribution_not_final")}
    missing = next((w.amount for w in warnings
                    if w.code == "actual_contribution_not_final"), 0)
    out = []
    for line in st.lines:
        if line.role is not Role.CONTRIBUTION:
            continue
        for column in Column:
            if line.amount(column) is None:
                continue
            if line.note(column).strip() and (line.name, column) not in flagged:
                continue
            text = suggest_note(column, st.year, rates.get(rate_year(column, st.year)),
                                missing if column is Column.ACTUAL_PREV else 0)
            if text and line.note(column).strip() != text:
                out.append((line.name, column, text))
    return out


def check_pl_notes(st: Statement, rates: dict[int, PLRate]) -> list[Warning]:
    """A note about PL whose percentage is neither the expected nor the final rate of the
    year its column was indexed for (when that year's rate is on file)."""
    out = []
    for line, column, text in st.notes():
        if not _PL_WORDS.search(text):
            continue
        y = rate_year(column, st.year)
        rate = rates.get(y)
        if rate is None:
            continue
        known = {r for r in (rate.expected, rate.final) if r is not None}
        stated = [Decimal(m.replace(",", ".")) for m in _PERCENT.findall(text)]
        wrong = [p for p in stated if p not in known]
        if not known or not wrong:
            continue
        on_file = " og ".join(f"{label} {format_rate(r)}" for label, r in
                              (("forventet", rate.expected), ("endelig", rate.final))
                              if r is not None)
        out.append(Warning(
            "pl_note_contradicts_rates",
            f"Fodnoten til «{line.name}» ({column.label(st.year)}) nævner "
            + ", ".join(format_rate(p) for p in wrong)
            + f", men PL-satsen {y - 1}→{y} er registreret som {on_file}. Ret fodnoten "
            "eller satsen.",
            column, 0, line.name))
    return out
