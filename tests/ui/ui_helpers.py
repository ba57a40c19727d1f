"""Finding cells of the statement table the way a user reads them: by post and column."""

from __future__ import annotations

from kkr_desktop.core.statement import Column, Kind
from kkr_desktop.ui.statement_model import AMOUNT_COLUMNS, FIRST_AMOUNT, AmountColumn


def row_of(model, name: str) -> int:
    return next(i for i, ln in enumerate(model.lines) if ln.name == name)


def col_of(group: Column, side: Kind) -> int:
    return FIRST_AMOUNT + AMOUNT_COLUMNS.index(AmountColumn(group, side))


def cell_text(model, row: int, group: Column, side: Kind) -> str:
    return model.index(row, col_of(group, side)).data()
