"""The annual statement "Regnskab N−1 og budget N": lines, totals and checks."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from kkr_desktop.core.indexation import PLRate, index_contribution
from kkr_desktop.core.money import format_amount, format_rate


class Kind(StrEnum):
    EXPENSE = "udgift"
    INCOME = "indtægt"


class Role(StrEnum):
    NONE = ""
    CONTRIBUTION = "bidrag"
    CARRIED_OVER = "overførsel"


class Column(StrEnum):
    """The three column groups of the statement of year N."""

    BUDGET_PREV = "budget_prev"
    ACTUAL_PREV = "actual_prev"
    BUDGET = "budget"

    def label(self, year: int) -> str:
        return {
            Column.BUDGET_PREV: f"Budget {year - 1}",
            Column.ACTUAL_PREV: f"Regnskab {year - 1}",
            Column.BUDGET: f"Budget {year}",
        }[self]

    def source(self, year: int) -> tuple[int, str]:
        """Where the column of statement `year` is stored: (year, "budget" or "actual")."""
        return {Column.BUDGET_PREV: (year - 1, "budget"),
                Column.ACTUAL_PREV: (year - 1, "actual"),
                Column.BUDGET: (year, "budget")}[self]


@dataclass(frozen=True)
class YearLine:
    """One line item of one year, as stored: budget and actual in øre, each with a note."""

    name: str
    kind: Kind
    role: Role = Role.NONE
    budget: int | None = None
    actual: int | None = None
    budget_note: str = ""
    actual_note: str = ""


@dataclass(frozen=True)
class StatementLine:
    """A row of the statement of year N: the same post in N−1 and in N."""

    name: str
    kind: Kind
    role: Role
    budget_prev: int | None = None
    actual_prev: int | None = None
    budget: int | None = None
    budget_prev_note: str = ""
    actual_prev_note: str = ""
    budget_note: str = ""

    def amount(self, column: Column) -> int | None:
        return getattr(self, column.value)

    def note(self, column: Column) -> str:
        return getattr(self, column.value + "_note")


@dataclass(frozen=True)
class Totals:
    expenses: int
    income: int

    @property
    def result(self) -> int:
        """Overskud (positive) or underskud (negative): income − expenses."""
        return self.income - self.expenses


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    column: Column
    amount: int
    line: str | None = None


@dataclass(frozen=True)
class Statement:
    secretariat: str
    year: int
    lines: tuple[StatementLine, ...]
    unit_ore: int = 100  # the secretariat's rounding unit for the budget's contribution
    billing_unit_ore: int = 1  # the unit billing charges in (the final rate's amount)
    # Footnotes on the computed «Overskud/underskud» row, in column order, non-empty only.
    result_notes: tuple[tuple[Column, str], ...] = ()

    def result_note(self, column: Column) -> str:
        return dict(self.result_notes).get(column, "")

    def totals(self, column: Column) -> Totals:
        exp = inc = 0
        for line in self.lines:
            amount = line.amount(column) or 0
            if line.kind is Kind.EXPENSE:
                exp += amount
            else:
                inc += amount
        return Totals(exp, inc)

    def has_column(self, column: Column) -> bool:
        return any(line.amount(column) is not None for line in self.lines)

    def role_amount(self, role: Role, column: Column) -> int | None:
        """The amount of the line with this role (contribution, carried over), if any."""
        amounts = [ln.amount(column) for ln in self.lines if ln.role is role]
        known = [a for a in amounts if a is not None]
        return sum(known) if known else None

    def notes(self) -> list[tuple[StatementLine, Column, str]]:
        """Footnotes in order of appearance: row by row, column by column."""
        out = []
        for line in self.lines:
            for column in Column:
                text = line.note(column)
                if text:
                    out.append((line, column, text))
        return out


def column_decimals(s: Statement) -> dict[Column, bool]:
    """Whether each column is shown with øre, printed and on screen: when the secretariat
    works in øre or any amount in the column has øre. Whole kroner would round such an
    amount, and the lines would no longer add up to the total shown."""
    return {c: s.unit_ore < 100 or any(
        (ln.amount(c) or 0) % 100 != 0 for ln in s.lines) for c in Column}


def result_notes_of(notes: dict[Column, str]) -> tuple[tuple[Column, str], ...]:
    """The form Statement keeps result notes in: column order, empty ones left out."""
    return tuple((c, notes[c]) for c in Column if notes.get(c))


def build_statement(secretariat: str, year: int, prev: list[YearLine],
                    current: list[YearLine], *, unit_ore: int = 100,
                    billing_unit_ore: int = 1,
                    result_notes: dict[Column, str] | None = None) -> Statement:
    """Match the lines of N−1 and N by name, keeping the document's order.

    The order is year N's; a line that exists only in N−1 is placed after the line it
    follows in N−1, so a line that was dropped still shows its budget and actual.
    """
    by_prev = {ln.name: ln for ln in prev}
    by_cur = {ln.name: ln for ln in current}
    order = [ln.name for ln in current]
    for i, ln in enumerate(prev):
        if ln.name in by_cur:
            continue
        anchor = prev[i - 1].name if i > 0 else None
        pos = order.index(anchor) + 1 if anchor in order else (0 if anchor is None else len(order))
        order.insert(pos, ln.name)
    lines = []
    for name in order:
        p, c = by_prev.get(name), by_cur.get(name)
        base = c or p
        assert base is not None
        lines.append(StatementLine(
            name=name, kind=base.kind, role=base.role,
            budget_prev=p.budget if p else None, actual_prev=p.actual if p else None,
            budget=c.budget if c else None,
            budget_prev_note=p.budget_note if p else "",
            actual_prev_note=p.actual_note if p else "",
            budget_note=c.budget_note if c else "",
        ))
    return Statement(secretariat, year, tuple(lines), unit_ore, billing_unit_ore,
                     result_notes_of(result_notes or {}))


# --- checks: each returns a list of warnings; all are run and concatenated -----------------

def check_balance(st: Statement) -> list[Warning]:
    out = []
    for column, code in ((Column.BUDGET, "budget_unbalanced"),
                         (Column.BUDGET_PREV, "budget_prev_unbalanced")):
        if not st.has_column(column):
            continue
        t = st.totals(column)
        if t.result != 0:
            word = "overskud" if t.result > 0 else "underskud"
            out.append(Warning(
                code,
                f"{column.label(st.year)} balancerer ikke: indtægter {format_amount(t.income)} "
                f"og udgifter {format_amount(t.expenses)} giver et {word} på "
                f"{format_amount(abs(t.result))} kr.",
                column, t.result))
    return out


def check_contribution_index(st: Statement, expected_rate: Decimal | None) -> list[Warning]:
    """Budget N's contribution should be what was charged for N−1 indexed with expected PL."""
    charged = st.role_amount(Role.CONTRIBUTION, Column.ACTUAL_PREV)
    budget = st.role_amount(Role.CONTRIBUTION, Column.BUDGET)
    if expected_rate is None or charged is None or budget is None:
        return []
    expected = index_contribution(charged, expected_rate, st.unit_ore)
    if expected == budget:
        return []
    return [Warning(
        "contribution_not_indexed",
        f"Bidraget i budget {st.year} er {format_amount(budget)} kr., men opkrævet "
        f"{st.year - 1} ({format_amount(charged)} kr.) fremskrevet med den forventede "
        f"PL-sats {format_rate(expected_rate)} giver {format_amount(expected)} kr. "
        f"(forskel {format_amount(budget - expected)} kr.).",
        Column.BUDGET, budget - expected, _role_line(st, Role.CONTRIBUTION))]


def check_carried_over(st: Statement) -> list[Warning]:
    carried = st.role_amount(Role.CARRIED_OVER, Column.BUDGET)
    if carried is None:
        return []
    line = _role_line(st, Role.CARRIED_OVER)
    if not st.has_column(Column.ACTUAL_PREV):
        if carried >= 0:
            return []
        return [Warning(
            "carried_over_negative",
            f"Overført overskud i budget {st.year} er negativt ({format_amount(carried)} kr.), "
            f"men der er intet regnskab {st.year - 1} med et underskud at overføre.",
            Column.BUDGET, carried, line)]
    result = st.totals(Column.ACTUAL_PREV).result
    if carried < 0 and carried < result:
        # A negative carry-over larger than any deficit: the payout of the result becomes
        # more than the surplus (or a deficit turns into a payout).
        return [Warning(
            "carried_over_negative",
            f"Overført overskud i budget {st.year} er negativt ({format_amount(carried)} kr.), "
            f"så udbetalingen til kommunerne ({format_amount(result - carried)} kr.) bliver "
            f"større end resultatet af regnskab {st.year - 1} ({format_amount(result)} kr.).",
            Column.BUDGET, carried - min(result, 0), line)]
    if carried <= result:
        return []
    return [Warning(
        "carried_over_exceeds_result",
        f"Overført overskud i budget {st.year} ({format_amount(carried)} kr.) er større end "
        f"resultatet af regnskab {st.year - 1} ({format_amount(result)} kr.).",
        Column.BUDGET, carried - result, _role_line(st, Role.CARRIED_OVER))]


def check_missing_contribution(st: Statement) -> list[Warning]:
    """Budget N bills nothing: no contribution line, or one without an amount (also when
    the whole budget is still empty, as a new secretariat's first budget is)."""
    if not st.lines or st.role_amount(Role.CONTRIBUTION, Column.BUDGET):
        return []
    line = _role_line(st, Role.CONTRIBUTION)
    text = (f"Budget {st.year}: bidraget «{line}» har intet beløb." if line else
            f"Budget {st.year} har ingen linje med rollen «bidrag» (Indkrævet hos kommunerne).")
    return [Warning("contribution_missing", text, Column.BUDGET, 0, line)]


def check_actual_contribution(st: Statement, prev_rate: PLRate | None,
                              charged_before: int | None = None) -> list[Warning]:
    """Regnskab N−1's contribution should be what N−2 charged indexed with the final PL rate
    N−2→N−1 (billing recomputes the budget's expected rate with the final one).

    With regnskab N−2 on file (`charged_before`) the amount is exact. Without it, N−2's
    charge is recovered from budget N−1 and the expected rate; a budget rounded to whole
    kroner then leaves up to half a unit of doubt (scaled by the rates), which is allowed.
    """
    actual = st.role_amount(Role.CONTRIBUTION, Column.ACTUAL_PREV)
    if prev_rate is None or prev_rate.final is None or actual is None:
        return []
    final = prev_rate.final
    if charged_before is not None:
        due = index_contribution(charged_before, final, st.billing_unit_ore)
        slack = Fraction(0)
        base = f"opkrævet {st.year - 2} ({format_amount(charged_before)} kr.)"
    else:
        budget = st.role_amount(Role.CONTRIBUTION, Column.BUDGET_PREV)
        if budget is None or prev_rate.expected is None:
            return []
        factor = Fraction(100 + final) / Fraction(100 + prev_rate.expected)
        exact = budget * factor
        due = _round_to(exact, st.billing_unit_ore)
        slack = Fraction(st.unit_ore, 2) * factor + Fraction(st.billing_unit_ore, 2)
        base = (f"budget {st.year - 1} ({format_amount(budget)} kr., forventet PL-sats "
                f"{format_rate(prev_rate.expected)})")
    missing = due - actual
    if abs(missing) <= slack:
        return []
    word = "en efterregulering" if missing > 0 else "en tilbagebetaling"
    return [Warning(
        "actual_contribution_not_final",
        f"Regnskab {st.year - 1}: bidraget er {format_amount(actual)} kr., men {base} "
        f"reguleret med den endelige PL-sats {format_rate(final)} giver "
        f"{format_amount(due)} kr. Der mangler {word} på {format_amount(abs(missing))} kr. "
        f"over for kommunerne, eller fodnoten om PL-reguleringen er forkert.",
        Column.ACTUAL_PREV, missing, _role_line(st, Role.CONTRIBUTION))]


def _round_to(exact: Fraction, unit_ore: int) -> int:
    """Round half away from zero to a whole number of units (as index_contribution does)."""
    units = abs(exact) / unit_ore
    whole = int(units + Fraction(1, 2))
    return (whole if exact >= 0 else -whole) * unit_ore


def check_statement(st: Statement, *, expected_rate: Decimal | None = None,
                    prev_rate: PLRate | None = None,
                    charged_before: int | None = None) -> list[Warning]:
    return [
        *check_balance(st),
        *check_contribution_index(st, expected_rate),
        *check_actual_contribution(st, prev_rate, charged_before),
        *check_carried_over(st),
        *check_missing_contribution(st),
    ]


def _role_line(st: Statement, role: Role) -> str | None:
    return next((ln.name for ln in st.lines if ln.role is role), None)
