"""The statement "Regnskab N−1 og budget N" as a Qt table model over the core Statement.

Rows are the lines, then "I alt" and "Overskud/underskud" (computed, read-only). Columns are
Post | Art | Rolle and, per column group (Budget N−1, Regnskab N−1, Budget N), Udgifter and
Indtægter. An edit is parsed here and handed to the undo stack as a service command; a bad
entry is refused with its reason (`edit_rejected`) and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from kkr_desktop.core.arith import parse_cell_amount
from kkr_desktop.core.errors import InputError, LockedError
from kkr_desktop.core.money import format_amount
from kkr_desktop.core.statement import (
    Column,
    Kind,
    Role,
    StatementLine,
    Warning,
    YearLine,
    column_decimals,
)
from kkr_desktop.services import catalog, locks
from kkr_desktop.services import statements as service
from kkr_desktop.services.statements import LineChange, StatementView
from kkr_desktop.ui.commands import (
    AddLinesCommand,
    EditContext,
    FieldStep,
    SetFieldsCommand,
)
from kkr_desktop.ui.statement_dnd import PostDragDrop

NAME, KIND, ROLE = 0, 1, 2
FIRST_AMOUNT = 3
KIND_LABELS = {Kind.EXPENSE: "Udgift", Kind.INCOME: "Indtægt"}
ROLE_LABELS = {Role.NONE: "", Role.CONTRIBUTION: "Bidrag", Role.CARRIED_OVER: "Overførsel"}
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
RESULT_KEY = "\0result"  # the «Overskud/underskud» row among the note numbers (no post's name)
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AmountColumn:
    group: Column
    side: Kind

    def year_field(self, year: int) -> tuple[int, str]:
        """Where the amount is stored: (year, field) of the YearLine."""
        return {Column.BUDGET_PREV: (year - 1, "budget"),
                Column.ACTUAL_PREV: (year - 1, "actual"),
                Column.BUDGET: (year, "budget")}[self.group]


AMOUNT_COLUMNS = [AmountColumn(g, k) for g in Column for k in (Kind.EXPENSE, Kind.INCOME)]


def note_field(group: Column, year: int) -> tuple[int, str]:
    y, field = AmountColumn(group, Kind.EXPENSE).year_field(year)
    return y, field + "_note"


def superscript(n: int) -> str:
    return str(n).translate(_SUPERSCRIPT)


class StatementModel(PostDragDrop, QAbstractTableModel):
    edit_rejected = Signal(QModelIndex, str)
    edit_accepted = Signal()  # a valid entry, whether or not it changed anything
    move_requested = Signal(str, int)  # a post dropped elsewhere: its name, rows to move

    def __init__(self, ctx: EditContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: StatementView | None = None
        self.frozen: frozenset[Column] = frozenset()
        self._present: dict[int, list[str]] = {}
        self._year_lines: service.YearLines = {}  # the stored lines of N−1 and N
        self.year_locks: service.YearLocks = {}
        self._note_numbers: dict[tuple[str, Column], int] = {}
        self._decimals: dict[Column, bool] = {}  # øre on every row, as printed

    # --- loading ------------------------------------------------------------------------
    def set_view(self, view: StatementView | None, *,
                 frozen: frozenset[Column] = frozenset()) -> None:
        """Show a statement; the column groups in `frozen` cannot be edited (approved)."""
        same_shape = (view is not None and self.view is not None
                      and [ln.name for ln in view.statement.lines] == [ln.name for ln in self.lines]
                      and view.statement.year == self.year)
        if not same_shape:
            self.beginResetModel()
        self.view = view
        self.frozen = frozen
        self._present = {}
        self._year_lines = {}
        self.year_locks = {}
        self._note_numbers = {}
        self._decimals = column_decimals(view.statement) if view is not None else {}
        if view is not None:
            sid, year = view.secretariat.id, view.statement.year
            for y in (year - 1, year):
                self._year_lines[y] = catalog.year_lines(self.ctx.store, sid, y)
                self._present[y] = [ln.name for ln in self._year_lines[y]]
                self.year_locks[y] = locks.year_lock(self.ctx.store, sid, y)
            for n, (line, column, _) in enumerate(view.statement.notes(), start=1):
                self._note_numbers[(line.name, column)] = n
            for n, (column, _) in enumerate(view.statement.result_notes,
                                            start=len(self._note_numbers) + 1):
                self._note_numbers[(RESULT_KEY, column)] = n
        if same_shape:
            # An edit of a cell: keep the view's editor and selection, redraw the values.
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))
        else:
            self.endResetModel()

    @property
    def year(self) -> int:
        assert self.view is not None
        return self.view.statement.year

    @property
    def lines(self) -> tuple[StatementLine, ...]:
        return self.view.statement.lines if self.view else ()

    def line(self, row: int) -> StatementLine | None:
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def total_row(self) -> int:
        return len(self.lines)

    def result_row(self) -> int:
        return len(self.lines) + 1

    def result_group(self, row: int, col: int) -> Column | None:
        """The column group of an amount cell on the «Overskud/underskud» row, else None."""
        if self.view is None or row != self.result_row() or col < FIRST_AMOUNT:
            return None
        return AMOUNT_COLUMNS[col - FIRST_AMOUNT].group

    def years_of(self, name: str) -> list[int]:
        return [y for y, names in sorted(self._present.items()) if name in names]

    # --- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.view is None else len(self.lines) + 2

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_AMOUNT + len(AMOUNT_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or self.view is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < FIRST_AMOUNT:
                return ["Post", "Art", "Rolle"][section]
            ac = AMOUNT_COLUMNS[section - FIRST_AMOUNT]
            side = "Udgifter" if ac.side is Kind.EXPENSE else "Indtægter"
            return f"{ac.group.label(self.year)}\n{side}"
        if role == Qt.ItemDataRole.TextAlignmentRole and section >= FIRST_AMOUNT:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @property
    def locked(self) -> bool:
        """Nothing at all can be edited (the statement itself is approved, or read-only)."""
        return self.frozen == frozenset(Column)

    def is_frozen(self, col: int) -> bool:
        """An amount column of an approved column group; name, kind and role only when
        nothing can be edited (whether a post's can change is `field_refusal`)."""
        if col < FIRST_AMOUNT:
            return self.locked
        return AMOUNT_COLUMNS[col - FIRST_AMOUNT].group in self.frozen

    def field_refusal(self, row: int, col: int) -> str | None:
        """Why name, kind or role of the post in `row` cannot change here, or None."""
        line = self.line(row)
        if line is None or col >= FIRST_AMOUNT or self.locked:
            return None
        try:
            service.check_post_field(line.name, ("name", "kind", "role")[col], self.year,
                                     self._year_lines, self.year_locks)
        except LockedError as exc:
            return exc.message
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row, col = index.row(), index.column()
        if self.line(row) is None or self.is_frozen(col):
            return base
        base |= Qt.ItemFlag.ItemIsDropEnabled
        if col == NAME:
            base |= Qt.ItemFlag.ItemIsDragEnabled  # a post is dragged by its name
        if col < FIRST_AMOUNT and self.field_refusal(row, col) is not None:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    # --- whole posts: which years a removal or a move touches ---------------------------
    def removal(self, row: int) -> LineChange:
        """What «Slet post» would do to the post in `row`; LockedError if nothing."""
        line = self.line(row)
        if line is None:
            raise InputError("Vælg den post, der skal slettes.")
        return service.plan_removal(line.name, self.year, self._year_lines, self.year_locks)

    def move(self, row: int, delta: int) -> LineChange:
        """What «Flyt op» (−1) or «Flyt ned» (+1) would do; LockedError if nothing can."""
        line = self.line(row)
        if line is None:
            raise InputError("Vælg den post, der skal flyttes.")
        return service.plan_move(line.name, delta, self.year, self._year_lines,
                                 self.year_locks)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.view is None:
            return None
        row, col = index.row(), index.column()
        line = self.line(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            edit = role == Qt.ItemDataRole.EditRole
            return self._text(row, col, line, edit)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (Qt.AlignmentFlag.AlignRight if col >= FIRST_AMOUNT
                          else Qt.AlignmentFlag.AlignLeft)
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and line is None:
            font = QFont()
            font.setBold(True)
            return font
        frozen = line is not None and self.is_frozen(col)  # approved: greyed, not editable
        if role == Qt.ItemDataRole.ForegroundRole and col >= FIRST_AMOUNT:
            amount = self._amount(row, col, line)
            if amount is not None and amount < 0:
                return QBrush(QColor("#8a3a48" if frozen else "#b00020"))
        if role == Qt.ItemDataRole.ForegroundRole and frozen:
            return QBrush(QColor("#5f6368"))
        if role == Qt.ItemDataRole.BackgroundRole and line is None:
            return QBrush(QColor("#eef1f5"))
        if role == Qt.ItemDataRole.BackgroundRole and frozen:
            return QBrush(QColor("#e4e4e4"))
        if role == Qt.ItemDataRole.ToolTipRole and line is not None and col == NAME:
            return line.name
        if role == Qt.ItemDataRole.ToolTipRole and line is not None and col >= FIRST_AMOUNT:
            group = AMOUNT_COLUMNS[col - FIRST_AMOUNT].group
            return line.note(group) or None
        if role == Qt.ItemDataRole.ToolTipRole and (group := self.result_group(row, col)):
            return self.view.statement.result_note(group) or None
        return None

    def amount_at(self, row: int, col: int) -> int | None:
        """The amount a cell shows (a post's, a total or the result), in øre, or None."""
        if col < FIRST_AMOUNT or not 0 <= row < self.rowCount():
            return None
        return self._amount(row, col, self.line(row))

    def _amount(self, row: int, col: int, line: StatementLine | None) -> int | None:
        assert self.view is not None
        ac = AMOUNT_COLUMNS[col - FIRST_AMOUNT]
        st = self.view.statement
        if line is not None:
            return line.amount(ac.group) if line.kind is ac.side else None
        if not st.has_column(ac.group):
            return None
        t = st.totals(ac.group)
        if row == self.total_row():
            return t.expenses if ac.side is Kind.EXPENSE else t.income
        return t.result if ac.side is Kind.INCOME else None

    def _text(self, row: int, col: int, line: StatementLine | None, edit: bool) -> str:
        if col == NAME:
            if line is None:
                return "I alt" if row == self.total_row() else "Overskud/underskud"
            return line.name
        if col == KIND:
            return KIND_LABELS[line.kind] if line else ""
        if col == ROLE:
            return ROLE_LABELS[line.role] if line else ""
        amount = self._amount(row, col, line)
        group = AMOUNT_COLUMNS[col - FIRST_AMOUNT].group
        text = format_amount(amount, decimals=self._decimals.get(group) or None)
        if not edit and amount is not None:
            key = line.name if line is not None else \
                RESULT_KEY if row == self.result_row() else None
            number = self._note_numbers.get((key, group)) if key is not None else None
            if number:
                text += " " + superscript(number)
        return text

    # --- editing ------------------------------------------------------------------------
    def setData(self, index: _Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        line = self.line(index.row())
        if role != Qt.ItemDataRole.EditRole or line is None or self.view is None:
            return False
        col = index.column()
        try:
            command = self._command_for(line, col, value)
        except (InputError, LockedError) as exc:
            self.edit_rejected.emit(QModelIndex(index), exc.message)
            return False
        self.edit_accepted.emit()
        if command is None:
            return True
        return self.ctx.push(command)

    def _command_for(self, line: StatementLine, col: int, value):
        sid = self.view.secretariat.id  # type: ignore[union-attr]
        if col == NAME:
            new = str(value).strip()
            if not new:
                raise InputError("En post skal have et navn.")
            if new == line.name:
                return None
            self._check_field(line, "name")
            return SetFieldsCommand(self.ctx, sid, f"Omdøb «{line.name}»", [
                FieldStep(y, line.name, "name", line.name, new) for y in self.years_of(line.name)])
        if col in (KIND, ROLE):
            field = "kind" if col == KIND else "role"
            new = _enum_value(field, value)
            old = line.kind if col == KIND else line.role
            if new == old:
                return None
            self._check_field(line, field)
            return SetFieldsCommand(self.ctx, sid, f"Skift {'art' if col == KIND else 'rolle'} "
                                    f"for «{line.name}»", [
                FieldStep(y, line.name, field, old.value, new.value)
                for y in self.years_of(line.name)])
        ac = AMOUNT_COLUMNS[col - FIRST_AMOUNT]
        amount = self.checked_amount(line, col, value)
        old = line.amount(ac.group) if ac.side is line.kind else None
        if amount == old:
            return None
        return self.amount_command(line, ac.group, amount, f"Ret {ac.group.label(self.year)} "
                                   f"for «{line.name}»")

    def checked_amount(self, line: StatementLine, col: int, value) -> int | None:
        """What is typed or pasted into an amount cell of `line`, checked as one: the column
        is open, the text is an amount or a formula (`parse_cell_amount`), and it stands on
        the post's side. InputError or LockedError (Danish) otherwise."""
        ac = AMOUNT_COLUMNS[col - FIRST_AMOUNT]
        if ac.group in self.frozen:
            raise LockedError(self.frozen_text(col))
        amount = parse_cell_amount(str(value) if value is not None else "")
        if ac.side is not line.kind and amount is not None:
            where = "Udgifter" if line.kind is Kind.EXPENSE else "Indtægter"
            raise InputError(f"«{line.name}» er en {KIND_LABELS[line.kind].lower()}; beløbet "
                             f"skal stå under {where}. Skift art i kolonnen Art for at "
                             "flytte posten.")
        return amount

    def entry_refusal(self, index: _Index, text: str) -> str | None:
        """Why the text in an amount cell's editor would be refused, or None: asked before
        the editor closes, so that a refused entry stays in the cell to be corrected."""
        line = self.line(index.row())
        if line is None or index.column() < FIRST_AMOUNT:
            return None
        try:
            self.checked_amount(line, index.column(), text)
        except (InputError, LockedError) as exc:
            return exc.message
        return None

    def frozen_text(self, col: int) -> str:
        label = AMOUNT_COLUMNS[col - FIRST_AMOUNT].group.label(self.year)
        return (f"{label} indgår i en godkendt opgørelse og kan ikke rettes her "
                "(se teksten over tabellen).")

    def tab_stop(self, row: int, col: int) -> bool:
        """Tab stops at the amount cells a figure can be typed into: the post's side of
        an open column group (not Post, Art, Rolle, the totals or an approved year)."""
        line = self.line(row)
        return (line is not None and col >= FIRST_AMOUNT and not self.is_frozen(col)
                and AMOUNT_COLUMNS[col - FIRST_AMOUNT].side is line.kind)

    def names_in(self, year: int) -> list[str]:
        """The posts stored in `year` (N−1 or N), in their order."""
        return list(self._present.get(year, []))

    def _check_field(self, line: StatementLine, field: str) -> None:
        service.check_post_field(line.name, field, self.year, self._year_lines,
                                 self.year_locks)

    def amount_command(self, line: StatementLine, group: Column, amount: int | None,
                       text: str, field_suffix: str = ""):
        """Set an amount (or with field_suffix "_note" its note) of a line in a column group;
        a line missing in that group's year is added there."""
        assert self.view is not None
        sid = self.view.secretariat.id
        year, field = AmountColumn(group, Kind.EXPENSE).year_field(self.year)
        field += field_suffix
        if line.name in self._present.get(year, []):
            old = line.note(group) if field_suffix else line.amount(group)
            return SetFieldsCommand(self.ctx, sid, text,
                                    [FieldStep(year, line.name, field, old, amount)])
        new_line = YearLine(line.name, line.kind, line.role, **{field: amount})
        return AddLinesCommand(self.ctx, sid, text,
                               [(year, new_line, self._position_in(year, line.name))])

    def _position_in(self, year: int, name: str) -> int:
        """Where a line missing in `year` goes: after the lines that precede it here."""
        order = [ln.name for ln in self.lines]
        before = set(order[: order.index(name)])
        return sum(1 for n in self._present.get(year, []) if n in before)

    def clear_cells(self, indexes: list[QModelIndex]) -> bool:
        """Delete: empty the selected amounts (one undo step)."""
        steps: list[FieldStep] = []
        for index in indexes:
            line = self.line(index.row())
            if line is None or index.column() < FIRST_AMOUNT:
                continue
            ac = AMOUNT_COLUMNS[index.column() - FIRST_AMOUNT]
            year, field = ac.year_field(self.year)
            if ac.group in self.frozen:
                continue
            if ac.side is line.kind and line.amount(ac.group) is not None:
                steps.append(FieldStep(year, line.name, field, line.amount(ac.group), None))
        if not steps or self.view is None or self.locked:
            return False
        return self.ctx.push(SetFieldsCommand(self.ctx, self.view.secretariat.id,
                                              "Slet beløb", steps))

    def set_note(self, row: int, group: Column, text: str) -> bool:
        line = self.line(row)
        if line is None or text == line.note(group):
            return False
        return self.ctx.push(self.amount_command(line, group, text,  # type: ignore[arg-type]
                                                 f"Fodnote til «{line.name}»", "_note"))

    # --- warnings -----------------------------------------------------------------------
    def index_for_warning(self, warning: Warning) -> QModelIndex:
        row = self.result_row()
        side = Kind.INCOME
        if warning.line is not None:
            for i, ln in enumerate(self.lines):
                if ln.name == warning.line:
                    row, side = i, ln.kind
                    break
        col = FIRST_AMOUNT + AMOUNT_COLUMNS.index(AmountColumn(warning.column, side))
        return self.index(row, col)


def _enum_value(field: str, value) -> Kind | Role:
    labels = KIND_LABELS if field == "kind" else ROLE_LABELS
    for member, label in labels.items():
        if value in (member, member.value, label):
            return member
    raise InputError(f"«{value}» er ikke en gyldig {'art' if field == 'kind' else 'rolle'}.")
