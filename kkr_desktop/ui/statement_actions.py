"""The statement tab's actions on posts: Ny post, Slet post, Flyt op/ned, Fodnote… and
Opret budget N+1. Each goes through a service and onto the undo stack; a refusal is said
with its reason. A mixin of StatementTab, which holds the table, the model and the context.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from kkr_desktop.core.errors import KkrError, LockedError
from kkr_desktop.core.money import format_amount, format_count
from kkr_desktop.core.statement import Column, Kind, YearLine
from kkr_desktop.services import statements as service
from kkr_desktop.services.result_notes import RESULT_LABEL
from kkr_desktop.services.statements import LineChange, new_name
from kkr_desktop.ui import errors
from kkr_desktop.ui.commands import (
    AddLinesCommand,
    CreateBudgetCommand,
    MoveLineCommand,
    RemoveLinesCommand,
    ResultNoteCommand,
    WriteAmountsCommand,
    positions,
)
from kkr_desktop.ui.note_dialog import NoteDialog
from kkr_desktop.ui.sheet import read_block
from kkr_desktop.ui.statement_model import AMOUNT_COLUMNS, FIRST_AMOUNT, NAME
from kkr_desktop.ui.statement_paste import plan_paste, summary

# How a year that a removal or a move leaves out is described ("I 2024 …, fordi …").
KEPT_REMOVE = "står posten uændret"
KEPT_MOVE = "ligger rækkefølgen fast"


class StatementActions:
    def _current_line_row(self) -> int | None:
        row = self.table.currentIndex().row()
        return row if self.model.line(row) is not None else None

    def add_line(self) -> None:
        if self.view is None or self.year is None or self.secretariat_id is None:
            return
        existing = [ln.name for ln in self.model.lines]
        line = YearLine(new_name(existing), Kind.EXPENSE)
        row = self._current_line_row()
        pos = positions(self.ctx.store, self.secretariat_id, self.year)
        at = None
        if row is not None:
            after = self.model.lines[row].name
            at = pos[after] + 1 if after in pos else None
        if self.ctx.push(AddLinesCommand(self.ctx, self.secretariat_id, "Ny post",
                                         [(self.year, line, at)])):
            new_row = next(i for i, ln in enumerate(self.model.lines) if ln.name == line.name)
            index = self.model.index(new_row, NAME)
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def remove_line(self) -> None:
        """Remove the post from the years where it may go: from budget N alone when year
        N−1 is fixed by an approval (the post then stays in the statement with N−1's
        figures). Refused, saying why, when it may go from no year."""
        name = self._selected_post("slettes")
        change = name and self._plan(service.removal, name)
        if not change:
            return
        if self.ctx.push(RemoveLinesCommand(self.ctx, self.secretariat_id, f"Slet «{name}»",
                                            list(change.steps))):
            self._say_done(change, f"«{name}» er slettet fra {years_text(change)}.", KEPT_REMOVE)

    def move_line(self, delta: int) -> None:
        """Move the post one place up (−1) or down (+1) in the years whose order is open."""
        name = self._selected_post("flyttes")
        if name:
            self.move_post(name, delta)

    def move_post(self, name: str, delta: int) -> None:
        """Move the post `delta` places (a drag and drop, or Flyt op/ned) as one undo step;
        refused with the reason where an approval fixes the order."""
        if self.notice is not None:
            self.ctx.error(LockedError(self.notice))
            return
        change = self._plan(service.move, name, delta)
        if not change:
            return
        if not change.steps:
            self.status.emit(f"«{name}» står allerede {'øverst' if delta < 0 else 'nederst'}.")
            return
        if self.ctx.push(MoveLineCommand(self.ctx, self.secretariat_id, f"Flyt «{name}»",
                                         name, list(change.steps))):
            new_row = next(i for i, ln in enumerate(self.model.lines) if ln.name == name)
            self.table.setCurrentIndex(self.model.index(new_row, self.table.currentIndex()
                                                        .column()))
            self._say_done(change, f"«{name}» er flyttet i {years_text(change)}.", KEPT_MOVE)

    def _selected_post(self, verb: str) -> str | None:
        """The name of the post the current cell is on, or None (and why, said)."""
        row = self._current_line_row()
        if row is None or self.secretariat_id is None or self.year is None:
            self.status.emit(f"Vælg den post, der skal {verb}.")
            return None
        if self.notice is not None:
            self.ctx.error(LockedError(self.notice))
            return None
        return self.model.lines[row].name

    def _plan(self, plan, name: str, *args) -> LineChange | None:
        """What a removal or move of `name` would change, or None with the refusal said."""
        try:
            return plan(self.ctx.store, self.secretariat_id, self.year, name, *args)
        except KkrError as exc:
            self.ctx.error(exc)
            return None

    # --- the grid as a spreadsheet: paste, the right-click menu, the sum of a selection -----
    def paste_text(self, index: QModelIndex, text: str) -> None:
        """Paste a block (Excel's clipboard text) with its top left cell at `index`: each cell
        checked as typed, the good ones as one undo step, the refused ones named."""
        if self.view is None or self.secretariat_id is None:
            return
        block = read_block(text)
        try:
            plan = plan_paste(self.model, index.row(), index.column(), block)
        except KkrError as exc:
            self._rejected(index, exc.message)
            return
        if plan.writes and not self.ctx.push(WriteAmountsCommand(
                self.ctx, self.secretariat_id, f"Indsæt {len(plan.writes)} beløb",
                plan.writes, plan.undo, plan.added)):
            return
        bottom = self.model.index(index.row() + len(block) - 1,
                                  index.column() + max(len(r) for r in block) - 1)
        self.table.selectionModel().select(
            QItemSelection(self.model.index(index.row(), index.column()), bottom),
            QItemSelectionModel.SelectionFlag.ClearAndSelect)
        said = summary(plan)
        if plan.refused:
            self.error_label.setText(said)
            self.error_label.setToolTip(said)
            self.error_label.show()
            self.status.emit(said.splitlines()[0].rstrip(":") + " (se over tabellen).")
        else:
            self.clear_error()
            self.status.emit(said)

    def show_context_menu(self, pos: QPoint) -> None:
        """Right click: the clicked cell becomes current unless it is selected."""
        index = self.table.indexAt(pos)
        if index.isValid() and not self.table.selectionModel().isSelected(index):
            self.table.setCurrentIndex(index)
        menu = self.build_context_menu()
        self.context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def build_context_menu(self) -> QMenu:
        """Kopiér, Indsæt, Slet indhold, Fortryd and the post actions, each enabled as its
        button is (also read by Hjælp → Vejledning for its table of shortcuts)."""
        menu = QMenu(self.table)
        menu.setToolTipsVisible(True)
        menu.addAction("Kopiér", QKeySequence.StandardKey.Copy, self.table.copy_selection)
        menu.addAction("Indsæt", QKeySequence.StandardKey.Paste, self.table.paste)
        menu.addAction("Slet indhold", QKeySequence(QKeySequence.StandardKey.Delete),
                       lambda: self.model.clear_cells(self.table.selectedIndexes()))
        undo = menu.addAction("Fortryd " + self.ctx.stack.undoText() if
                              self.ctx.stack.canUndo() else "Fortryd",
                              QKeySequence.StandardKey.Undo, self.ctx.stack.undo)
        undo.setEnabled(self.ctx.stack.canUndo())
        menu.addSeparator()
        for button in (self.add_button, self.remove_button, self.up_button,
                       self.down_button, self.note_button):
            action = menu.addAction(button.text(), button.click)
            action.setEnabled(button.isEnabled())
            action.setToolTip(button.toolTip())
        return menu

    def _update_sum(self, *_args) -> None:
        """«Sum: 1.234.567,00 · Antal: 3» of the selected cells that hold an amount."""
        amounts = [a for i in self.table.selectedIndexes()
                   if (a := self.model.amount_at(i.row(), i.column())) is not None]
        self.sum_label.setText(
            f"Sum: {format_amount(sum(amounts), decimals=True)} · "
            f"Antal: {format_count(len(amounts))}" if amounts else "")

    def _say_done(self, change: LineChange, done: str, verb: str) -> None:
        if change.kept:
            self.status.emit(f"{done} {change.kept_text(verb)}")

    def _note_refusal(self) -> str | None:
        """Why «Fodnote…» cannot be used on the current cell, or None."""
        index = self.table.currentIndex()
        on_result = self.model.result_group(index.row(), index.column()) is not None
        if self.view is None or (self.model.line(index.row()) is None and not on_result) \
                or index.column() < FIRST_AMOUNT:
            return self.notice or "Vælg det beløb, fodnoten skal stå ved."
        if self.notice is not None:
            return self.notice
        if self.model.is_frozen(index.column()):
            return self._frozen_text(index.column())
        return None

    def edit_note(self) -> None:
        refusal = self._note_refusal()
        if refusal is not None:
            self.status.emit(refusal)
            return
        assert self.view is not None
        index = self.table.currentIndex()
        group = self.model.result_group(index.row(), index.column())
        if group is not None:
            self.edit_result_note(group)
            return
        line = self.model.line(index.row())
        assert line is not None
        group = AMOUNT_COLUMNS[index.column() - FIRST_AMOUNT].group
        view = self.view
        text, ok = NoteDialog.ask(
            self, f"Fodnote til «{line.name}», {group.label(view.statement.year)}"
            " (tom tekst fjerner fodnoten):", line.note(group),
            lambda: service.suggested_note(self.ctx.store, view.secretariat,
                                           view.statement.year, line.name, group))
        if ok:
            self.model.set_note(index.row(), group, text.strip())

    def edit_result_note(self, group: Column) -> None:
        """The footnote on «Overskud/underskud» in a column group (no suggestion: the PL
        notes are the contribution's)."""
        assert self.view is not None and self.secretariat_id is not None
        year = self.view.statement.year
        old = self.view.statement.result_note(group)
        text, ok = NoteDialog.ask(
            self, f"Fodnote til «{RESULT_LABEL}», {group.label(year)}"
            " (tom tekst fjerner fodnoten):", old, lambda: None)
        if ok and text.strip() != old:
            self.ctx.push(ResultNoteCommand(self.ctx, self.secretariat_id,
                                            f"Fodnote til «{RESULT_LABEL}»", year, group,
                                            old, text.strip()))

    def create_next_budget(self) -> None:
        if self.secretariat_id is None or self.year is None:
            return
        if not self._ensure_expected_rate(self.year + 1):
            return
        command = CreateBudgetCommand(self.ctx, self.secretariat_id, self.year)
        if self.ctx.push(command):
            self.status.emit(command.summary)
            self.year_created.emit(self.secretariat_id, self.year + 1)

    def _ensure_expected_rate(self, year: int) -> bool:
        """Budget N+1 needs the expected PL rate N→N+1: ask for it if it is not on file."""
        from kkr_desktop.core.money import parse_rate
        from kkr_desktop.services import rates

        if any(r.year == year and r.expected is not None
               for r in rates.all_rates(self.ctx.store)):
            return True
        text, ok = QInputDialog.getText(
            self, f"Opret budget {year}",
            f"Den forventede PL-sats for {year - 1}→{year} er ikke registreret.\n"
            "Forventet sats i procent (fx 3,9):")
        if not ok:
            return False
        try:
            rates.set_pl_rate(self.ctx.store, year, expected=parse_rate(text),
                              source="Indtastet ved oprettelse af budget")
        except KkrError as exc:
            errors.show_error(self, exc)
            return False
        return True


def years_text(change: LineChange) -> str:
    return " og ".join(str(y) for y in change.years)
