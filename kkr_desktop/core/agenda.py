"""A «dagsordenspunkt»: the statements of several secretariats of one KKR and year, put
before the body in one document with an agenda text, and approved in one act.

Each statement keeps its own approval (snapshot, SHA-256, Dokument-id: core/approval.py).
The act itself is kept as canonical JSON too: the agenda text as approved (title, case,
sagsfremstilling, indstilling), the facts, and each member approval's SHA-256, so the
agenda's own Dokument-id covers its text and, through their hashes, every statement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from kkr_desktop.core.approval import ApprovalFacts, Signatory
from kkr_desktop.core.errors import InputError

FORMAT_VERSION = 1
HEADINGS = ("sagsfremstilling", "indstilling")


@dataclass(frozen=True)
class AgendaText:
    """What the officer types: the item's title, its number and the two texts."""

    title: str
    case: str
    sagsfremstilling: str = ""
    indstilling: str = ""


@dataclass(frozen=True)
class Member:
    """One statement the act approved: whose, which approval, with which hash."""

    secretariat_id: int
    secretariat: str
    approval_id: int
    revision: int
    sha256: str


def validate_text(text: AgendaText) -> list[str]:
    problems = []
    if not text.title.strip():
        problems.append("Angiv dagsordenspunktets overskrift.")
    if not text.case.strip():
        problems.append("Angiv dagsordenspunktets nummer (fx 2.4).")
    return problems


def default_title(year: int) -> str:
    return (f"Godkendelse af regnskab {year - 1} og budget {year} for de fælleskommunale "
            "sekretariater")


def parse_text_file(text: str) -> tuple[str, str]:
    """(sagsfremstilling, indstilling) from a text file: a line «Sagsfremstilling» and a line
    «Indstilling» (a colon after them is fine) start the two texts; a file without those
    headings is the sagsfremstilling alone."""
    parts: dict[str, list[str]] = {h: [] for h in HEADINGS}
    current = HEADINGS[0]
    for line in text.replace("\r\n", "\n").split("\n"):
        heading = line.strip().rstrip(":").strip().casefold()
        if heading in HEADINGS:
            current = heading
            continue
        parts[current].append(line)
    return tuple("\n".join(parts[h]).strip() for h in HEADINGS)  # type: ignore[return-value]


def to_dict(agenda_id: int, kkr: str, year: int, text: AgendaText, facts: ApprovalFacts,
            members: list[Member]) -> dict:
    assert facts.meeting_date is not None
    return {
        "format": FORMAT_VERSION, "agenda_id": agenda_id, "kkr": kkr, "year": year,
        "title": text.title, "case": text.case, "sagsfremstilling": text.sagsfremstilling,
        "indstilling": text.indstilling,
        "approval": {"body": facts.body, "meeting_date": facts.meeting_date.isoformat(),
                     "case": facts.case,
                     "signatories": [{"name": s.name, "title": s.title}
                                     for s in facts.signatories]},
        "statements": [{"secretariat_id": m.secretariat_id, "secretariat": m.secretariat,
                        "approval_id": m.approval_id, "revision": m.revision,
                        "sha256": m.sha256} for m in members],
    }


def canonical_json(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def from_canonical(text: str) -> tuple[str, int, AgendaText, ApprovalFacts, list[Member]]:
    """(kkr, year, text, facts, members) of an agenda approval's snapshot."""
    d = json.loads(text)
    if d.get("format") != FORMAT_VERSION:
        raise InputError(f"Dagsordenspunktets godkendelse er gemt i et ukendt format "
                         f"({d.get('format')}).")
    ap = d["approval"]
    facts = ApprovalFacts(ap["body"], date.fromisoformat(ap["meeting_date"]), ap["case"],
                          tuple(Signatory(s["name"], s["title"]) for s in ap["signatories"]))
    members = [Member(m["secretariat_id"], m["secretariat"], m["approval_id"], m["revision"],
                      m["sha256"]) for m in d["statements"]]
    text_ = AgendaText(d["title"], d["case"], d["sagsfremstilling"], d["indstilling"])
    return d["kkr"], d["year"], text_, facts, members
