"""A table view that edits like a spreadsheet: type to edit, Enter moves down, Tab moves
right, Delete empties the selected amounts."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
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


class SheetView(QTableView):
    """`clear_requested` is the model's job; the view only knows which cells are selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
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
