"""The figures under the chart in the Udvikling tab: År lines up with the amounts."""

from __future__ import annotations

import re
from types import SimpleNamespace

from kkr_desktop.ui.chart_tab import _table


def test_every_cell_of_the_table_has_the_same_padding_and_alignment():
    figures = [SimpleNamespace(year=2023, budget_expenses=231_656_900,
                               actual_expenses=176_619_100, budget_contribution=166_940_700,
                               actual_contribution=169_051_825),
               SimpleNamespace(year=2024, budget_expenses=201_906_100, actual_expenses=None,
                               budget_contribution=177_166_300, actual_contribution=None)]
    html = _table(figures)
    cells = re.findall(r"<(t[dh]) ([^>]*)>([^<]*)</t[dh]>", html)
    assert len(cells) == 3 * 5
    assert all(attrs.endswith("valign='middle' style='padding:2px 10px'")
               for _, attrs, _ in cells)
    year_cells = cells[::5]
    assert [text for _, _, text in year_cells] == ["År", "2023", "2024"]
    assert all("align='left'" in attrs for _, attrs, _ in year_cells)
    assert ("td", "align='right' valign='middle' style='padding:2px 10px'", "1.690.518,25") \
        in cells
    assert cells[-1][2] == "–"
