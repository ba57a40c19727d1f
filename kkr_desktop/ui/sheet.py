"""A table view that edits like a spreadsheet: type to edit, Enter moves down, Tab moves
to the next cell a figure can be typed into, Delete empties the selected amounts, Ctrl+C
copies a block as Excel does (tab-separated, a newline after each row) and Ctrl+V hands the
clipboard's block to whoever pastes it (`paste_requested`)."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)


class ComboDelegate(QStyledItemDelegate):
    """A choice among fixed labels (Art, Rolle)."""

    def __init__(self, labels: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels = labels

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        box = QComboBox(parent)
        box.addItems(self.labels)
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex
                      ) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


def read_block(text: str) -> list[list[str]]:
    """The cells of a block as Excel and LibreOffice put it on the clipboard: tab between
    cells, CRLF or LF after each row (the last one too, usually). A cell Excel quoted
    because of a tab or newline inside loses its quotes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    rows = [row.split("\t") for row in text.split("\n")]
    return [[_unquote(cell) for cell in row] for row in rows]


def block_text(rows: list[list[str]]) -> str:
    """A block for the clipboard, as Excel writes it: tab-separated, a newline after every
    row (Qt turns it into CRLF on Windows)."""
    return "".join("\t".join(row) + "\n" for row in rows)


def _unquote(cell: str) -> str:
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"')
    return cell


class AmountDelegate(QStyledItemDelegate):
    """An amount cell's editor that keeps a refused entry: Enter or Tab first asks the
    model (`entry_refusal`); a refusal leaves the text in the editor with a red border,
    says why (`refused`), and the cursor stays on the cell."""

    refused = Signal(QModelIndex, str)
    accepted = Signal()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.setProperty("sheet_index", QPersistentModelIndex(index))
        return editor

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit) and \
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab,
                                Qt.Key.Key_Backtab):
            index = editor.property("sheet_index")
            check = getattr(index.model(), "entry_refusal", None) if index else None
            refusal = check(index, editor.text()) if check is not None else None
            if refusal is not None:
                editor.setStyleSheet("border: 2px solid #b00020;")
                editor.setToolTip(refusal)
                self.refused.emit(QModelIndex(index), refusal)
                return True
        return super().eventFilter(editor, event)


class SheetView(QTableView):
    """`clear_requested` is the model's job; the view only knows which cells are selected.
    A paste is announced with the current cell and the clipboard's text."""

    paste_requested = Signal(QModelIndex, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Rows are dragged by the cells the model lets go (the post's name); the model
        # decides what a drop means.
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDragDropOverwriteMode(False)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_selection()
                return
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste()
                return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and \
                self.state() != QAbstractItemView.State.EditingState:
            clear = getattr(self.model(), "clear_cells", None)
            if clear is not None:
                clear(self.selectedIndexes())
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.state() != QAbstractItemView.State.EditingState:
            self._move(1, 0)
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        # Enter in an editor commits and moves down, as in a spreadsheet.
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._move(1, 0)
            return
        super().closeEditor(editor, hint)

    def _move(self, rows: int, cols: int) -> None:
        current = self.currentIndex()
        model = self.model()
        if not current.isValid() or model is None:
            return
        row = min(max(current.row() + rows, 0), model.rowCount() - 1)
        col = min(max(current.column() + cols, 0), model.columnCount() - 1)
        self.setCurrentIndex(model.index(row, col))

    def copy_selection(self) -> None:
        """The selected block (its bounding rectangle) as the cells show it, without
        footnote marks: amounts in Danish (1.234,50), blank where there is none."""
        indexes = self.selectedIndexes() or [self.currentIndex()]
        indexes = [i for i in indexes if i.isValid()]
        model = self.model()
        if not indexes or model is None:
            return
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        block = [[str(model.index(r, c).data(Qt.ItemDataRole.EditRole) or "")
                  if (r, c) in chosen else "" for c in range(cols[0], cols[-1] + 1)]
                 for r in range(rows[0], rows[-1] + 1)]
        QGuiApplication.clipboard().setText(block_text(block))

    def paste(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text and self.currentIndex().isValid():
            self.paste_requested.emit(self.currentIndex(), text)

    def moveCursor(self, action: QAbstractItemView.CursorAction,
                   modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Tab and Shift+Tab go to the next cell a figure can be typed into (the model's
        `tab_stop`), row by row, skipping the rest."""
        stop = getattr(self.model(), "tab_stop", None)
        forward = action == QAbstractItemView.CursorAction.MoveNext
        if stop is None or action not in (QAbstractItemView.CursorAction.MoveNext,
                                          QAbstractItemView.CursorAction.MovePrevious):
            return super().moveCursor(action, modifiers)
        model, current = self.model(), self.currentIndex()
        cols = model.columnCount()
        here = current.row() * cols + current.column() if current.isValid() else -1
        cells = range(here + 1, model.rowCount() * cols) if forward else range(here - 1, -1, -1)
        for n in cells:
            row, col = divmod(n, cols)
            if stop(row, col) and not self.isRowHidden(row):
                return model.index(row, col)
        return current
