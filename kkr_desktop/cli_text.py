"""What the CLI prints: statements and allocations as text tables and as JSON."""

from __future__ import annotations

from kkr_desktop.core.allocation import Allocation, format_share, share_text
from kkr_desktop.core.money import format_amount, format_count, to_json_amount
from kkr_desktop.core.quarter import quarter_label
from kkr_desktop.core.statement import Column
from kkr_desktop.services.statements import StatementView


def statement_json(view: StatementView) -> dict:
    st = view.statement
    columns = {}
    for column in Column:
        t = st.totals(column)
        shown = st.has_column(column)  # a column without amounts has no totals (null)
        columns[column.value] = {k: to_json_amount(v) if shown else None for k, v in
                                 (("expenses", t.expenses), ("income", t.income),
                                  ("result", t.result))}
    lines = [{
        "name": ln.name, "kind": ln.kind.value, "role": ln.role.value,
        **{c.value: to_json_amount(ln.amount(c)) for c in Column},
        "notes": {c.value: ln.note(c) for c in Column if ln.note(c)},
    } for ln in st.lines]
    warnings = [{"code": w.code, "message": w.message, "column": w.column.value,
                 "amount": to_json_amount(w.amount)} for w in view.warnings]
    return {"secretariat": view.secretariat.name, "year": st.year, "columns": columns,
            "lines": lines, "result_notes": {c.value: text for c, text in st.result_notes},
            "warnings": warnings}


def statement_text(view: StatementView) -> str:
    st = view.statement
    y = st.year
    name_w = min(48, max(len(ln.name) for ln in st.lines))
    head1 = f"{'':{name_w}}  " + "  ".join(f"{c.label(y):^27}" for c in Column)
    head2 = f"{'Post':{name_w}}  " + "  ".join(f"{'Udgifter':>13} {'Indtægter':>13}"
                                             for _ in Column)
    out = [f"{view.secretariat.name}: Regnskab {y - 1} og budget {y}", "", head1, head2,
           "-" * len(head2)]
    notes: list[str] = []
    for ln in st.lines:
        cells = []
        for c in Column:
            amount = format_amount(ln.amount(c))
            if ln.note(c):
                notes.append(ln.note(c))
                amount += f"({len(notes)})"
            exp, inc = (amount, "") if ln.kind.value == "udgift" else ("", amount)
            cells.append(f"{exp:>13} {inc:>13}")
        label = ln.name if len(ln.name) <= name_w else ln.name[: name_w - 1] + "…"
        out.append(f"{label:{name_w}}  " + "  ".join(cells))
    out.append("-" * len(head2))
    def total(c: Column, amount: int) -> str:  # blank for a column without amounts
        return format_amount(amount) if st.has_column(c) else ""

    out.append(f"{'I alt':{name_w}}  " + "  ".join(
        f"{total(c, st.totals(c).expenses):>13} {total(c, st.totals(c).income):>13}"
        for c in Column))
    def result(c: Column) -> str:
        text = total(c, st.totals(c).result)
        if st.result_note(c):
            notes.append(st.result_note(c))
            text += f"({len(notes)})"
        return text

    out.append(f"{'Overskud/underskud':{name_w}}  " + "  ".join(
        f"{'':>13} {result(c):>13}" for c in Column))
    if notes:
        out.append("")
        out.extend(f"({i}) {text}" for i, text in enumerate(notes, start=1))
    out.append("")
    if view.warnings:
        out.append("Advarsler:")
        out.extend(f"  ! {w.message}" for w in view.warnings)
    else:
        out.append("Ingen advarsler.")
    return "\n".join(out)


def allocation_json(a: Allocation) -> dict:
    return {"kind": a.kind.value, "total": to_json_amount(a.total), "unit": a.unit.value,
            "key": a.key_kind.value, "quarter": a.quarter,
            "rows": [{"kommunekode": r.kommunekode, "kommune": r.kommune,
                      "population": int(r.weight) if a.key_kind.value == "population"
                      else None,
                      "weight": str(r.weight), "share": share_text(r.share),
                      "amount": to_json_amount(r.amount)} for r in a.rows]}


def allocation_text(secretariat: str, year: int, a: Allocation) -> str:
    key = (f"folketal pr. {quarter_label(a.quarter)}" if a.quarter else a.key_kind.label)
    decimals = a.unit.value == "ore"
    out = [f"{a.title(year)} – {secretariat}",
           f"Beløb {format_amount(a.total, decimals=True)} kr. fordelt efter {key}, "
           f"afrundet til {a.unit.label}.", "",
           f"{'Kode':>4}  {'Kommune':<18} {'Folketal':>10} {'Andel':>9} {'Beløb':>16}"]
    for r in sorted(a.rows, key=lambda r: r.kommunekode):
        out.append(f"{r.kommunekode:>4}  {r.kommune:<18} {format_count(r.weight):>10}"
                   f" {format_share(r.share):>9} {format_amount(r.amount, decimals=decimals):>16}")
    total_pop = format_count(a.population_total)
    out.append(f"{'':>4}  {'I alt':<18} {total_pop:>10} {'100,00 %':>9} "
               f"{format_amount(sum(r.amount for r in a.rows), decimals=decimals):>16}")
    return "\n".join(out)
