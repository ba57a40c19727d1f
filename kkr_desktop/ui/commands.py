"""Undo and redo of statement edits: each command only calls service functions.

A command is applied once by `EditContext.push` (so that a refused edit never reaches the
stack) and after that by QUndoStack's redo/undo. Commands hold names and years, never model
objects, so undo keeps working after the view has been rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand, QUndoStack

from kkr_desktop.core.errors import KkrError
from kkr_desktop.core.statement import Column, YearLine
from kkr_desktop.services import catalog, population
from kkr_desktop.services import statements as service
from kkr_desktop.services.concurrency import FieldWrite
from kkr_desktop.services.result_notes import set_result_note

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store


@dataclass
class EditContext:
    """What every command needs: the store, the stack, and whom to tell."""

    store: Store
    stack: QUndoStack
    changed: Callable[[int | None], None]  # secretariat id: redraw what shows it
    error: Callable[[KkrError], None]
    # The newest audit id when the statement on screen was read (the statement tab sets it
    # on every reload): a save of a post is refused when someone changed that post or
    # approved the statement since (services/concurrency). None: no check.
    seen: int | None = None

    def push(self, command: StoreCommand) -> bool:
        """Apply the command; only if that succeeded does it go on the undo stack."""
        try:
            with self.store.transaction():
                command.apply()
        except KkrError as exc:
            self.error(exc)
            return False
        command.applied = True
        self.stack.push(command)
        self.changed(command.secretariat_id)
        return True


class StoreCommand(QUndoCommand):
    def __init__(self, ctx: EditContext, secretariat_id: int | None, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.secretariat_id = secretariat_id
        self.applied = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self.applied:  # the first redo is the push, already applied
            self.applied = False
            return
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, action: Callable[[], None]) -> None:
        try:
            with self.ctx.store.transaction():
                action()
        except KkrError as exc:
            # E.g. the statement was approved meanwhile: the step cannot be taken.
            self.setObsolete(True)
            self.ctx.error(exc)
        self.ctx.changed(self.secretariat_id)


@dataclass(frozen=True)
class FieldStep:
    """One field of one line of one year: old → new. `name` is the line's name before."""

    year: int
    name: str
    field: str
    old: object
    new: object


class SetFieldsCommand(StoreCommand):
    """Change fields of lines (an amount, a note, a rename or a kind across both years)."""

    def __init__(self, ctx: EditContext, secretariat_id: int, text: str,
                 steps: list[FieldStep]) -> None:
        super().__init__(ctx, secretariat_id, text)
        self.steps = steps

    def apply(self) -> None:
        service.set_line_fields(self.ctx.store, self.secretariat_id, [
            FieldWrite(s.year, s.name, s.field, s.new) for s in self.steps],
            seen=self.ctx.seen)

    def revert(self) -> None:
        service.set_line_fields(self.ctx.store, self.secretariat_id, [
            FieldWrite(s.year, str(s.new) if s.field == "name" else s.name, s.field, s.old)
            for s in reversed(self.steps)], seen=self.ctx.seen)


class AddLinesCommand(StoreCommand):
    """Add lines (one per year) at positions; the revert removes them again."""

    def __init__(self, ctx: EditContext, secretariat_id: int, text: str,
                 items: list[tuple[int, YearLine, int | None]]) -> None:
        super().__init__(ctx, secretariat_id, text)
        self.items = items

    def apply(self) -> None:
        for year, line, position in self.items:
            service.add_line(self.ctx.store, self.secretariat_id, year, line, position)

    def revert(self) -> None:
        for year, line, _ in reversed(self.items):
            service.remove_line(self.ctx.store, self.secretariat_id, year, line.name)


class RemoveLinesCommand(AddLinesCommand):
    """The mirror of AddLinesCommand: removing a post from the years given (those an
    approval leaves open, `services.statements.plan_removal`); undo puts it back at its
    position. A post another officer changed since the view read it is not removed."""

    def apply(self) -> None:
        for year, line, _ in reversed(self.items):
            service.remove_line(self.ctx.store, self.secretariat_id, year, line.name,
                                seen=self.ctx.seen)

    def revert(self) -> None:
        for year, line, position in self.items:
            service.add_line(self.ctx.store, self.secretariat_id, year, line, position)


class MoveLineCommand(StoreCommand):
    """Move a post to another position in the years given (`plan_move`)."""

    def __init__(self, ctx: EditContext, secretariat_id: int, text: str, name: str,
                 moves: list[tuple[int, int, int]]) -> None:
        super().__init__(ctx, secretariat_id, text)
        self.name = name
        self.moves = moves  # (year, old position, new position)

    def apply(self) -> None:
        for year, _, new in self.moves:
            service.move_line(self.ctx.store, self.secretariat_id, year, self.name, new)

    def revert(self) -> None:
        for year, old, _ in self.moves:
            service.move_line(self.ctx.store, self.secretariat_id, year, self.name, old)


class WriteAmountsCommand(StoreCommand):
    """A block of amounts (a paste) as one undo step: one service call writes them all in
    one transaction; undo writes the old amounts back and takes out the posts the paste
    added to a year."""

    def __init__(self, ctx: EditContext, secretariat_id: int, text: str,
                 writes: list[service.AmountWrite], undo: list[service.AmountWrite],
                 added: list[tuple[int, str]]) -> None:
        super().__init__(ctx, secretariat_id, text)
        self.writes, self.undo_writes, self.added = writes, undo, added

    def apply(self) -> None:
        service.write_amounts(self.ctx.store, self.secretariat_id, self.writes,
                              seen=self.ctx.seen)

    def revert(self) -> None:
        service.write_amounts(self.ctx.store, self.secretariat_id, self.undo_writes,
                              remove=self.added, seen=self.ctx.seen)


class ResultNoteCommand(StoreCommand):
    """The footnote on «Overskud/underskud» in one column of statement `year`: old → new."""

    def __init__(self, ctx: EditContext, secretariat_id: int, text: str, year: int,
                 column: Column, old: str, new: str) -> None:
        super().__init__(ctx, secretariat_id, text)
        self.year, self.column, self.old, self.new = year, column, old, new

    def apply(self) -> None:
        set_result_note(self.ctx.store, self.secretariat_id, self.year, self.column, self.new,
                        seen=self.ctx.seen)

    def revert(self) -> None:
        set_result_note(self.ctx.store, self.secretariat_id, self.year, self.column, self.old,
                        seen=self.ctx.seen)


class CreateBudgetCommand(StoreCommand):
    """Opret budget N+1; undo removes the new year again."""

    def __init__(self, ctx: EditContext, secretariat_id: int, year: int) -> None:
        super().__init__(ctx, secretariat_id, f"Opret budget {year + 1}")
        self.year = year
        self.summary = ""

    def apply(self) -> None:
        from kkr_desktop.services import budget

        sec = catalog.secretariat(self.ctx.store, self.secretariat_id)
        self.summary = budget.describe(budget.create_next_budget(self.ctx.store, sec,
                                                                 self.year))

    def revert(self) -> None:
        from kkr_desktop.services import budget

        sec = catalog.secretariat(self.ctx.store, self.secretariat_id)
        budget.remove_budget_year(self.ctx.store, sec, self.year + 1)


class SetPopulationCommand(StoreCommand):
    """A population figure typed by hand; undo puts back the figure it replaced, with its
    source and time (or removes it, if the kommune had none that quarter)."""

    def __init__(self, ctx: EditContext, secretariat_id: int | None, text: str,
                 kommunekode: int, quarter: str, value: int, *, seen: int | None = None
                 ) -> None:
        super().__init__(ctx, secretariat_id, text)
        self.kommunekode, self.quarter, self.value = kommunekode, quarter, value
        self.seen = seen  # the first apply only: a redo repeats the user's own step
        self.old = None

    def apply(self) -> None:
        self.old = population.set_figure(self.ctx.store, self.kommunekode, self.quarter,
                                         self.value, seen=self.seen)
        self.seen = None

    def revert(self) -> None:
        population.restore_figure(self.ctx.store, self.kommunekode, self.quarter, self.old,
                                  typed=self.value)


def positions(store: Store, secretariat_id: int, year: int) -> dict[str, int]:
    """The 0-based position of every line of a year."""
    return {ln.name: i for i, ln in enumerate(catalog.year_lines(store, secretariat_id, year))}
