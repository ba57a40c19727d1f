"""What an approval records, and the canonical form of the approved content.

The approved content (statement, the allocations the document shows, and the approval's own
facts) is written as canonical JSON: sorted keys, no insignificant whitespace, UTF-8, amounts
as integer øre, weights as exact decimal strings. The SHA-256 of those bytes identifies the
approved document; its first eight hex digits are printed as "Dokument-id", so a printout can
be matched to the database. The same JSON is kept as the snapshot the approved document is
printed from again, whatever happens to the live lines afterwards.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from kkr_desktop.core.allocation import (
    Allocation,
    AllocationKind,
    AllocationRow,
    KeyKind,
    Unit,
)
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.statement import Kind, Role, Statement, StatementLine

FORMAT_VERSION = 1
DOCUMENT_ID_LENGTH = 8


class Signatory(NamedTuple):
    """A person who signs: a (name, title) pair."""

    name: str
    title: str = ""


@dataclass(frozen=True)
class ApprovalFacts:
    """What the approving body decided: who, when, under which agenda item, who signs."""

    body: str
    meeting_date: date
    case: str
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True)
class ApprovedContent:
    """Everything the approved document shows."""

    kkr: str
    statement: Statement
    allocations: tuple[Allocation, ...] = ()


def parse_signatory(text: str) -> Signatory:
    """``"Thomas Kastrup-Larsen, Formand for KKR Nordjylland"`` -> name and title."""
    name, _, title = text.partition(",")
    if not name.strip():
        raise InputError(f"«{text}» er ikke en underskriver. Skriv «Navn, Titel».")
    return Signatory(" ".join(name.split()), " ".join(title.split()))


def validate_facts(facts: ApprovalFacts) -> list[str]:
    """Every problem with the approval's facts, in Danish (empty list: fine)."""
    problems = []
    if not facts.body.strip():
        problems.append("Angiv det godkendende organ (fx KKR Nordjylland).")
    if not facts.case.strip():
        problems.append("Angiv dagsordenspunktet (fx 2.4).")
    for i, s in enumerate(facts.signatories, start=1):
        if not s.name.strip():
            problems.append(f"Underskriver {i} mangler et navn.")
    names = [s.name.strip().casefold() for s in facts.signatories]
    if len(set(names)) != len(names):
        problems.append("Den samme underskriver står der to gange.")
    return problems


MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")


def format_date(d: date) -> str:
    """A date as printed in Danish: ``12. marts 2024`` (babel's da_DK ``d. MMMM y``, without
    loading babel's locale data on every printed document)."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def revision_state(revision: int, in_force: bool, latest_approved: int,
                   draft: int | None) -> str:
    """How an approved revision stands: in force; the latest approved while a new revision
    is being drafted (it is what was last decided); or replaced by a later approval."""
    if in_force:
        return "gældende"
    if revision == latest_approved and draft is not None:
        return f"senest godkendte; revision {draft} er under udarbejdelse"
    return "erstattet"


def approval_line(facts: ApprovalFacts) -> str:
    """``Godkendt af KKR Nordjylland den 12. marts 2024 (punkt 2.4)``."""
    return (f"Godkendt af {facts.body} den {format_date(facts.meeting_date)} "
            f"(punkt {facts.case})")


# --- canonical form ----------------------------------------------------------------------

def line_dict(ln: StatementLine) -> dict:
    return {"name": ln.name, "kind": ln.kind.value, "role": ln.role.value,
            "budget_prev": ln.budget_prev, "actual_prev": ln.actual_prev, "budget": ln.budget,
            "budget_prev_note": ln.budget_prev_note, "actual_prev_note": ln.actual_prev_note,
            "budget_note": ln.budget_note}


def allocation_dict(a: Allocation) -> dict:
    return {"kind": a.kind.value, "total": a.total, "unit": a.unit.value,
            "key_kind": a.key_kind.value, "quarter": a.quarter,
            "rows": [{"kommunekode": r.kommunekode, "kommune": r.kommune,
                      "weight": str(r.weight), "amount": r.amount} for r in a.rows]}


def to_dict(content: ApprovedContent, facts: ApprovalFacts, revision: int) -> dict:
    st = content.statement
    return {
        "format": FORMAT_VERSION,
        "secretariat": st.secretariat, "kkr": content.kkr, "year": st.year,
        "unit_ore": st.unit_ore, "revision": revision,
        "lines": [line_dict(ln) for ln in st.lines],
        "allocations": [allocation_dict(a) for a in content.allocations],
        "approval": {"body": facts.body, "meeting_date": facts.meeting_date.isoformat(),
                     "case": facts.case,
                     "signatories": [{"name": s.name, "title": s.title}
                                     for s in facts.signatories]},
    }


def canonical_json(content: ApprovedContent, facts: ApprovalFacts, revision: int) -> str:
    return json.dumps(to_dict(content, facts, revision), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))


def content_hash(canonical: str) -> str:
    """SHA-256 of the canonical JSON's UTF-8 bytes, as 64 lowercase hex digits."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def document_id(sha256: str) -> str:
    """The short form printed on the document: ``3f2a9c1e``."""
    return sha256[:DOCUMENT_ID_LENGTH]


def from_canonical(text: str) -> tuple[ApprovedContent, ApprovalFacts, int]:
    """Read a snapshot back: the content, the facts and the revision."""
    d = json.loads(text)
    if d.get("format") != FORMAT_VERSION:
        raise InputError(f"Godkendelsen er gemt i et ukendt format ({d.get('format')}).")
    lines = tuple(StatementLine(
        name=x["name"], kind=Kind(x["kind"]), role=Role(x["role"]),
        budget_prev=x["budget_prev"], actual_prev=x["actual_prev"], budget=x["budget"],
        budget_prev_note=x["budget_prev_note"], actual_prev_note=x["actual_prev_note"],
        budget_note=x["budget_note"]) for x in d["lines"])
    st = Statement(d["secretariat"], d["year"], lines, d["unit_ore"])
    allocations = tuple(_read_allocation(a) for a in d["allocations"])
    ap = d["approval"]
    facts = ApprovalFacts(ap["body"], date.fromisoformat(ap["meeting_date"]), ap["case"],
                          tuple(Signatory(s["name"], s["title"]) for s in ap["signatories"]))
    return ApprovedContent(d["kkr"], st, allocations), facts, d["revision"]


def _read_allocation(a: dict) -> Allocation:
    weights = [Decimal(r["weight"]) for r in a["rows"]]
    weight_sum = sum((Fraction(w) for w in weights), Fraction(0)) or Fraction(1)
    rows = tuple(AllocationRow(r["kommunekode"], r["kommune"], w, Fraction(w) / weight_sum,
                               r["amount"]) for r, w in zip(a["rows"], weights, strict=True))
    return Allocation(AllocationKind(a["kind"]), a["total"], Unit(a["unit"]),
                      KeyKind(a["key_kind"]), a["quarter"], rows)
