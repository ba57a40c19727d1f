"""Verification of approved agenda items, not trusting the triggers (see services/verify.py):
the act's snapshot hashes to its SHA-256 (and the audit log recorded that hash); the item's
text, statements and the act's row say what the snapshot says; each member approval is there
with the SHA-256 the act approved."""

from __future__ import annotations

import json

from kkr_desktop.core.approval import content_hash, document_id
from kkr_desktop.store import tamper
from kkr_desktop.store.agenda import AgendaApproval
from kkr_desktop.store.db import Store


def describe(act: AgendaApproval) -> str:
    return (f"Godkendelsen af dagsordenspunkt {act.case} (Dokument-id "
            f"{document_id(act.sha256)})")


def agenda_problems(store: Store, act: AgendaApproval) -> list[str]:
    computed = content_hash(act.content)
    if computed != act.sha256:
        return [f"det gemte indhold passer ikke med sin SHA-256 (gemt {act.sha256[:8]}…, "
                f"indholdet giver {computed[:8]}…)"]
    problems = []
    audited = tamper.audited_hash(store, "agenda_approval", act.agenda_id)
    if audited is not None and audited != act.sha256:
        problems.append(f"revisionssporet viser, at det blev godkendt med SHA-256 "
                        f"{audited[:8]}…, ikke {act.sha256[:8]}…")
    try:
        d = json.loads(act.content)
    except ValueError:
        return [*problems, "indholdet er ikke læsbart"]
    item = store.one("SELECT * FROM agenda_item WHERE id = ?", (act.agenda_id,))
    if item is None:
        return [*problems, "dagsordenspunktet findes ikke længere"]
    ap = d.get("approval", {})
    for label, stored, approved in (
            ("overskriften", item["title"], d.get("title")),
            ("punktets nummer", item["case_item"], d.get("case")),
            ("året", item["year"], d.get("year")),
            ("sagsfremstillingen", item["sagsfremstilling"], d.get("sagsfremstilling")),
            ("indstillingen", item["indstilling"], d.get("indstilling")),
            ("det godkendende organ", act.body, ap.get("body")),
            ("mødedatoen", act.meeting_date.isoformat(), ap.get("meeting_date")),
            ("dagsordenspunktet", act.case, ap.get("case"))):
        if stored != approved:
            problems.append(f"{label} er «{_short(stored)}» i databasen, men "
                            f"«{_short(approved)}» i det godkendte")
    members = d.get("statements", [])
    held = [r[0] for r in store.rows("SELECT secretariat_id FROM agenda_item_statement "
                                     "WHERE agenda_id = ? ORDER BY position",
                                     (act.agenda_id,))]
    if held != [m.get("secretariat_id") for m in members]:
        problems.append("sekretariaterne på dagsordenspunktet er ikke de godkendte")
    if act.member_ids != [m.get("approval_id") for m in members]:
        problems.append("godkendelserne, som punktet omfatter, er ikke de godkendte")
    for m in members:
        sha = store.scalar("SELECT sha256 FROM approval WHERE id = ?", (m.get("approval_id"),))
        if sha is None:
            problems.append(f"godkendelsen af {m.get('secretariat')} findes ikke længere")
        elif sha != m.get("sha256"):
            problems.append(f"godkendelsen af {m.get('secretariat')} har SHA-256 {sha[:8]}…, "
                            f"men punktet godkendte {str(m.get('sha256'))[:8]}…")
    return problems


def _short(value) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "…"
