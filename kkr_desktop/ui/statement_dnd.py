"""Drag and drop of a post in the statement grid: a move, as «Flyt op/ned» (the model
emits move_requested; the window stores the move, on the undo stack)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt

POST_MIME = "application/x-kkr-post"  # a post dragged by its name to a new place
_Index = QModelIndex | QPersistentModelIndex


class PostDragDrop:
    """The drag-and-drop half of StatementModel (which provides view, lines, line() and
    the move_requested signal)."""

    def mimeTypes(self) -> list[str]:
        return [POST_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        # A copy to Qt, so that it never empties the dragged cells after the drop: the
        # move itself is the service's, on the undo stack.
        return Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes) -> QMimeData:
        data = QMimeData()
        lines = [self.line(i.row()) for i in indexes if self.line(i.row()) is not None]
        if lines:
            data.setData(POST_MIME, lines[0].name.encode("utf-8"))
        return data

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: _Index) -> bool:
        if not data.hasFormat(POST_MIME) or self.view is None:
            return False
        name = bytes(data.data(POST_MIME).data()).decode("utf-8")
        order = [ln.name for ln in self.lines]
        if name not in order:
            return False
        source = order.index(name)
        if parent.isValid():
            target = parent.row()  # dropped on a post: take its place
        else:
            target = len(order) if row < 0 else row  # dropped between posts
            if target > source:
                target -= 1
        target = min(max(target, 0), len(order) - 1)
        if target != source:
            self.move_requested.emit(name, target - source)
        return False  # nothing for Qt to do: the move is stored (or refused) by then

