"""A flowable that keeps a group on the current page in the first form that fits there.

reportlab's KeepTogether moves a group that does not fit the space left to the next page
whole: a statement table with its notes below is taller than what is left under the
document's heading, so KeepTogether pushed the table itself off page 1. This one instead
measures (with wrap()) each form of the group in turn, e.g. the table with normal spacing
and then a tighter one, and draws the first whose height fits the space left. When none
fits, the group falls back to flowing normally: the table splits across pages and the
notes follow it.
"""

from __future__ import annotations


def _height(flowables: list, width: float, height: float) -> float:
    total = 0.0
    for i, f in enumerate(flowables):
        _w, h = f.wrap(width, height)
        total += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
    return total


def first_that_fits(variants: list[list], fallback: list):
    """One flowable: the first of `variants` (each a list of flowables) that fits in the
    space left on the page, else `fallback` flowed as usual (its first flowable split
    where the page ends)."""
    from reportlab.platypus.flowables import Flowable

    class FirstThatFits(Flowable):
        def __init__(self) -> None:
            super().__init__()
            self.chosen: list | None = None
            self._avail_width = 0.0

        def wrap(self, avail_width: float, avail_height: float):  # noqa: D401 (reportlab)
            self._avail_width = avail_width
            self.chosen = None
            for variant in variants:
                h = _height(variant, avail_width, avail_height)
                if h <= avail_height:
                    self.chosen = variant
                    self.width, self.height = avail_width, h
                    return self.width, self.height
            # Taller than the space: the frame then asks split() for the fallback.
            self.width = avail_width
            self.height = _height(fallback, avail_width, 10**6)
            return self.width, self.height

        def split(self, avail_width: float, avail_height: float) -> list:
            # The frame adds the first piece without splitting it again, so the piece must
            # fit: split the fallback's first flowable (the table) here, by its rows.
            head, *rest = fallback
            head.wrap(avail_width, avail_height)
            parts = head.split(avail_width, avail_height)
            return [*parts, *rest] if parts else []

        def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
            return (self.chosen or fallback)[0].getSpaceBefore()

        def draw(self) -> None:
            y = self.height
            for i, f in enumerate(self.chosen or []):
                if i:
                    y -= f.getSpaceBefore()
                w, h = f.wrap(self._avail_width, self.height)
                y -= h
                f.drawOn(self.canv, 0, y, _sW=self._avail_width - w)
                y -= f.getSpaceAfter()

    return FirstThatFits()
