"""Paste of a block of cells (from Excel, LibreOffice or the grid itself) into the
statement: every cell is checked as if typed (`StatementModel.checked_amount`), the good
ones become one undo step that one service call writes in one transaction, and each
refused cell is named with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt

from kkr_desktop.core.arith import parse_cell_amount
from kkr_desktop.core.errors import InputError, KkrError
from kkr_desktop.core.statement import Kind
from kkr_desktop.core.statement import YearLine as _YearLine
from kkr_desktop.services.statements import AmountWrite
from kkr_desktop.ui.statement_model import AMOUNT_COLUMNS, FIRST_AMOUNT, StatementModel

_SIDES = {Kind.EXPENSE: "udgifter", Kind.INCOME: "indtægter"}


@dataclass
class PastePlan:
    writes: list[AmountWrite] = field(default_factory=list)
    undo: list[AmountWrite] = field(default_factory=list)
    added: list[tuple[int, str]] = field(default_factory=list)  # (year, post) new in year
    refused: list[str] = field(default_factory=list)  # "Husleje, Budget 2024 udgifter: …"


def cell_name(model: StatementModel, row: int, col: int) -> str:
    """A cell as the user reads it: «Husleje, Budget 2024 udgifter»."""
    line = model.line(row)
    name = line.name if line is not None else str(model.index(row, 0).data())
    if col < FIRST_AMOUNT:
        return f"{name}, {('Post', 'Art', 'Rolle')[col]}"
    ac = AMOUNT_COLUMNS[col - FIRST_AMOUNT]
    return f"{name}, {ac.group.label(model.year)} {_SIDES[ac.side]}"


def check_fits(model: StatementModel, row: int, col: int, block: list[list[str]]) -> None:
    """A block that would run past the last post or the last column is refused whole, as
    Excel does: a block moved by one row would put every figure on the wrong post."""
    height, width = len(block), max(len(r) for r in block)
    posts = len(model.lines)
    if model.line(row) is None:
        raise InputError("«I alt» og resultatet beregnes; der kan ikke indsættes i dem. "
                         "Vælg den post, det indsatte skal starte ved.")
    if row + height > posts:
        raise InputError(
            f"Det indsatte har {height} rækker, men fra «{model.lines[row].name}» er der kun "
            f"{posts - row} poster til og med den sidste («{model.lines[-1].name}»). Intet er "
            "indsat. Vælg en højere startcelle, eller opret flere poster først.")
    columns = model.columnCount()
    if col + width > columns:
        last = str(model.headerData(columns - 1, Qt.Orientation.Horizontal)).replace("\n", " ")
        raise InputError(
            f"Det indsatte har {width} kolonner, men fra den valgte celle er der kun "
            f"{columns - col} kolonner til og med den sidste («{last}»). Intet er indsat. "
            "Vælg en celle længere til venstre.")


def plan_paste(model: StatementModel, row: int, col: int,
               block: list[list[str]]) -> PastePlan:
    """What pasting `block` with its top left cell at (row, col) changes; InputError if the
    block does not fit (nothing is pasted then)."""
    check_fits(model, row, col, block)
    plan = PastePlan()
    added_names: dict[int, list[str]] = {}
    order = [ln.name for ln in model.lines]
    for r, cells in enumerate(block, start=row):
        line = model.line(r)
        assert line is not None
        for c, text in enumerate(cells, start=col):
            if c < FIRST_AMOUNT:
                current = str(model.index(r, c).data() or "")
                if text.strip() and text.strip() != current:
                    plan.refused.append(f"{cell_name(model, r, c)}: Post, art og rolle ændres "
                                        "ikke ved indsættelse; ret dem i cellen.")
                continue
            ac = AMOUNT_COLUMNS[c - FIRST_AMOUNT]
            old = line.amount(ac.group) if ac.side is line.kind else None
            try:
                amount = model.checked_amount(line, c, text)
            except KkrError as exc:
                if not _same(text, old):  # a frozen figure pasted back unchanged is no edit
                    plan.refused.append(f"{cell_name(model, r, c)}: {exc.message}")
                continue
            if amount == old:
                continue
            year, fld = ac.year_field(model.year)
            present = model.names_in(year) + added_names.get(year, [])
            post = _YearLine(line.name, line.kind, line.role)
            if line.name in present:
                plan.writes.append(AmountWrite(year, post, fld, amount))
                if line.name not in added_names.get(year, []):
                    plan.undo.append(AmountWrite(year, post, fld, old))
            else:
                before = set(order[: order.index(line.name)])
                position = sum(1 for n in present if n in before)
                plan.writes.append(AmountWrite(year, post, fld, amount, position))
                added_names.setdefault(year, []).append(line.name)
                plan.added.append((year, line.name))
    plan.undo.reverse()
    return plan


def summary(plan: PastePlan, shown: int = 3) -> str:
    """What the paste did, in Danish, with the refused cells (the first `shown` of them)."""
    n = len(plan.writes)
    done = f"Indsat {n} beløb" if n else "Intet er indsat"
    if not plan.refused:
        return done + "."
    k = len(plan.refused)
    lines = [f"{done}; {k} {'celle' if k == 1 else 'celler'} afvist:"]
    lines += plan.refused[:shown]
    if k > shown:
        lines.append(f"… og {k - shown} celler mere (hold musen over linjen for dem alle).")
    return "\n".join(lines)


def _same(text: str, old: int | None) -> bool:
    try:
        return parse_cell_amount(text) == old
    except KkrError:
        return False
