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
from kkr_desktop.core.statement import (
    Column,
    Kind,
    Role,
    Statement,
    StatementLine,
    result_notes_of,
)

# 2 adds "replaces" (a later revision's predecessor and reason); 3 adds "result_notes" (the
# footnotes on Overskud/underskud). Each key is written only when there is something in it,
# and the format says the newest key written, so a snapshot without them is byte for byte
# what the program wrote before they existed (and hashes as it always did).
FORMAT_VERSION = 3
READABLE_FORMATS = (1, 2, 3)
DOCUMENT_ID_LENGTH = 8


class Signatory(NamedTuple):
    """A person who signs: a (name, title) pair."""

    name: str
    title: str = ""


@dataclass(frozen=True)
class ApprovalFacts:
    """What the approving body decided: who, when, under which agenda item, who signs."""

    body: str
    meeting_date: date | None  # None: not typed yet (refused by validate_facts)
    case: str
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True)
class Replaces:
    """What a revision after the first replaces, and why it was opened («Ny revision»)."""

    revision: int
    document_id: str
    meeting_date: date
    reason: str  # empty for a revision opened before reasons were asked for


@dataclass(frozen=True)
class ApprovedContent:
    """Everything the approved document shows."""

    kkr: str
    statement: Statement
    allocations: tuple[Allocation, ...] = ()
    replaces: Replaces | None = None


def replaces_line(r: Replaces) -> str:
    """``Erstatter revision 1 (Dokument-id 1a2b3c4d) af 12. marts 2024. Årsag: …``."""
    text = (f"Erstatter revision {r.revision} (Dokument-id {r.document_id}) af "
            f"{format_date(r.meeting_date)}.")
    return f"{text} Årsag: {r.reason}" if r.reason else text


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
    if facts.meeting_date is None:
        problems.append("Angiv mødedatoen (fx 12.03.2024).")
    for i, s in enumerate(facts.signatories, start=1):
        if not s.name.strip():
            problems.append(f"Underskriver {i} mangler et navn.")
    if not any(s.name.strip() for s in facts.signatories):
        problems.append("Angiv mindst én underskriver med navn; titler alene er ingen "
                        "underskrift.")
    names = [s.name.strip().casefold() for s in facts.signatories]
    if len(set(names)) != len(names):
        problems.append("Den samme underskriver står der to gange.")
    return problems


MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")


def date_warnings(meeting_date: date, year: int, previous: date | None = None) -> list[str]:
    """What is odd about the meeting date of statement `year` ("Regnskab N−1 og budget N"):
    before regnskab N−1 begins, after 1 January N+1, or before the date the previous
    revision was approved. Warnings the user confirms, not errors: a body may meet late."""
    out = []
    if meeting_date < date(year - 1, 1, 1):
        out.append(f"Mødedatoen {format_date(meeting_date)} ligger før regnskabsåret "
                   f"{year - 1} begynder.")
    elif meeting_date > date(year + 1, 1, 1):
        out.append(f"Mødedatoen {format_date(meeting_date)} ligger efter budgetåret "
                   f"{year} er slut.")
    if previous is not None and meeting_date < previous:
        out.append(f"Mødedatoen {format_date(meeting_date)} ligger før mødet den "
                   f"{format_date(previous)}, der godkendte den forrige revision.")
    return out


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
    assert facts.meeting_date is not None, "validate_facts refuses an approval without date"
    d = {
        "format": 1,
        "secretariat": st.secretariat, "kkr": content.kkr, "year": st.year,
        "unit_ore": st.unit_ore, "revision": revision,
        "lines": [line_dict(ln) for ln in st.lines],
        "allocations": [allocation_dict(a) for a in content.allocations],
        "approval": {"body": facts.body, "meeting_date": facts.meeting_date.isoformat(),
                     "case": facts.case,
                     "signatories": [{"name": s.name, "title": s.title}
                                     for s in facts.signatories]},
    }
    r = content.replaces
    if r is not None:
        # Only then: a snapshot without it is byte for byte what format 1 always wrote.
        d["format"] = 2
        d["replaces"] = {"revision": r.revision, "document_id": r.document_id,
                         "meeting_date": r.meeting_date.isoformat(), "reason": r.reason}
    if st.result_notes:
        d["format"] = FORMAT_VERSION
        d["result_notes"] = result_notes_dict(st)
    return d


def result_notes_dict(st: Statement) -> dict[str, str]:
    """The footnotes on Overskud/underskud by column (budget_prev, actual_prev, budget)."""
    return {column.value: text for column, text in st.result_notes}


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
    if d.get("format") not in READABLE_FORMATS:
        raise InputError(f"Godkendelsen er gemt i et ukendt format ({d.get('format')}).")
    lines = tuple(StatementLine(
        name=x["name"], kind=Kind(x["kind"]), role=Role(x["role"]),
        budget_prev=x["budget_prev"], actual_prev=x["actual_prev"], budget=x["budget"],
        budget_prev_note=x["budget_prev_note"], actual_prev_note=x["actual_prev_note"],
        budget_note=x["budget_note"]) for x in d["lines"])
    notes = {Column(k): v for k, v in d.get("result_notes", {}).items()}
    st = Statement(d["secretariat"], d["year"], lines, d["unit_ore"],
                   result_notes=result_notes_of(notes))
    allocations = tuple(_read_allocation(a) for a in d["allocations"])
    ap = d["approval"]
    facts = ApprovalFacts(ap["body"], date.fromisoformat(ap["meeting_date"]), ap["case"],
                          tuple(Signatory(s["name"], s["title"]) for s in ap["signatories"]))
    r = d.get("replaces")
    replaces = None if r is None else Replaces(
        r["revision"], r["document_id"], date.fromisoformat(r["meeting_date"]), r["reason"])
    return ApprovedContent(d["kkr"], st, allocations, replaces), facts, d["revision"]


def _read_allocation(a: dict) -> Allocation:
    weights = [Decimal(r["weight"]) for r in a["rows"]]
    weight_sum = sum((Fraction(w) for w in weights), Fraction(0)) or Fraction(1)
    rows = tuple(AllocationRow(r["kommunekode"], r["kommune"], w, Fraction(w) / weight_sum,
                               r["amount"]) for r, w in zip(a["rows"], weights, strict=True))
    return Allocation(AllocationKind(a["kind"]), a["total"], Unit(a["unit"]),
                      KeyKind(a["key_kind"]), a["quarter"], rows)
