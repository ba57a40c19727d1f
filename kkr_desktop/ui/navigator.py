"""The navigator on the left: KKR → sekretariat → år."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from kkr_desktop.services.catalog import TreeNode

_KEY = Qt.ItemDataRole.UserRole
# Up to this many rows every year is shown. Beyond it (50 secretariats of 20 years is 1,000
# rows) only the chosen secretariat's years are, the others open on a click: the tree stays
# readable, and sizing its column to contents (every row measured) no longer costs the
# window's start some 35 ms.
EXPAND_ALL_UP_TO = 300


class Navigator(QTreeWidget):
    """Emits `selected(secretariat_id, year)`; year is None when none is chosen yet."""

    selected = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabel("Sekretariater")
        self.setMinimumWidth(220)
        # Long secretariat names scroll sideways rather than being cut off.
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(False)
        self.currentItemChanged.connect(self._changed)
        self.itemExpanded.connect(self._fill)
        self._quiet = False
        self._pending: dict[int, tuple[QTreeWidgetItem, TreeNode]] = {}

    @staticmethod
    def _add_years(sec_item: QTreeWidgetItem, node: TreeNode
                   ) -> list[tuple[int, QTreeWidgetItem]]:
        items = []
        for year in reversed(node.years):
            # Statement N holds budget N and the accounts of N−1: both are named, so the
            # place to enter regnskab N−1 is found.
            item = QTreeWidgetItem(sec_item, [f"Budget {year}, regnskab {year - 1}"])
            item.setToolTip(0, f"Opgørelsen «Regnskab {year - 1} og budget {year}»")
            item.setData(0, _KEY, (node.secretariat.id, year))
            items.append((year, item))
        return items

    def _fill(self, item: QTreeWidgetItem) -> None:
        """A secretariat whose years were not made yet gets them when it is opened."""
        pending = self._pending.pop(id(item), None)
        if pending is not None:
            self._add_years(*pending)

    def rebuild(self, nodes: list[TreeNode], select: tuple[int | None, int | None]) -> None:
        self._quiet = True
        self.clear()
        self._pending.clear()
        large = sum(len(n.years) + 1 for n in nodes) + len({n.kkr for n in nodes}) \
            > EXPAND_ALL_UP_TO
        kkr_items: dict[str, QTreeWidgetItem] = {}
        target: QTreeWidgetItem | None = None
        first: QTreeWidgetItem | None = None
        same_secretariat: QTreeWidgetItem | None = None
        for node in nodes:
            parent = kkr_items.get(node.kkr)
            if parent is None:
                parent = QTreeWidgetItem(self, [f"KKR {node.kkr}"])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                kkr_items[node.kkr] = parent
            sec_item = QTreeWidgetItem(parent, [node.secretariat.name])
            sec_item.setToolTip(0, node.secretariat.name)
            sec_item.setData(0, _KEY, (node.secretariat.id, None))
            if node.secretariat.id == select[0]:
                same_secretariat = sec_item
            if large and node.years and node.secretariat.id != select[0] and first is not None:
                # a closed secretariat gets its years when it is opened (1,000 rows made
                # up front cost the start some 10 ms)
                self._pending[id(sec_item)] = (sec_item, node)
                sec_item.setChildIndicatorPolicy(
                    QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
                continue
            for year, item in self._add_years(sec_item, node):
                first = first or item
                if (node.secretariat.id, year) == select:
                    target = item
        if target is None and same_secretariat is not None:
            target = same_secretariat.child(0) or same_secretariat
        chosen = target or first
        if not large:
            self.expandAll()
        else:
            for parent in kkr_items.values():
                parent.setExpanded(True)
            if chosen is not None:
                (chosen.parent() if chosen.data(0, _KEY)[1] else chosen).setExpanded(True)
        self._quiet = False
        if chosen is not None:
            self.setCurrentItem(chosen)
        else:
            self.selected.emit(None, None)

    def current_key(self) -> tuple[int | None, int | None]:
        item = self.currentItem()
        key = item.data(0, _KEY) if item is not None else None
        return tuple(key) if key else (None, None)  # type: ignore[return-value]

    def _changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if self._quiet or current is None:
            return
        key = current.data(0, _KEY)
        if not key:
            return
        sid, year = key
        if year is None:
            self._fill(current)
        if year is None and current.childCount():
            # A secretariat: show its newest year.
            current.setExpanded(True)
            year = current.child(0).data(0, _KEY)[1]
        self.selected.emit(sid, year)
