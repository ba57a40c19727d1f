"""The canonical form of an approved statement and its hash."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kkr_desktop.core.allocation import AllocationKind, allocate
from kkr_desktop.core.approval import (
    ApprovalFacts,
    ApprovedContent,
    Signatory,
    approval_line,
    canonical_json,
    content_hash,
    document_id,
    from_canonical,
    parse_signatory,
    validate_facts,
)
from kkr_desktop.core.errors import InputError
from kkr_desktop.core.statement import Kind, Role, Statement, StatementLine

FACTS = ApprovalFacts("KKR Nordjylland", date(2024, 3, 12), "2.4",
                      (Signatory("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland"),))


def content() -> ApprovedContent:
    lines = (
        StatementLine("Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION,
                      166940700, 169051825, 177166300, budget_note="Fremskrevet 4,8 %"),
        StatementLine("Løn", Kind.EXPENSE, Role.NONE, 149875200, 150177800, 150956300),
    )
    alloc = allocate(AllocationKind.CONTRIBUTION, 1000_00, {851: Decimal(2), 773: Decimal(1)},
                     {851: "Aalborg", 773: "Morsø"})
    return ApprovedContent("Nordjylland", Statement("Sekretariatet", 2024, lines, 100), (alloc,))


def test_round_trip_gives_back_what_was_approved():
    text = canonical_json(content(), FACTS, 1)
    back, facts, revision = from_canonical(text)
    assert back == content()
    assert facts == FACTS
    assert revision == 1
    assert canonical_json(back, facts, revision) == text


def test_hash_is_sha256_of_the_canonical_bytes_and_changes_with_any_fact():
    text = canonical_json(content(), FACTS, 1)
    h = content_hash(text)
    assert len(h) == 64 and h == content_hash(text)
    assert document_id(h) == h[:8]
    other = ApprovalFacts(FACTS.body, date(2024, 3, 13), FACTS.case, FACTS.signatories)
    assert content_hash(canonical_json(content(), other, 1)) != h
    assert content_hash(canonical_json(content(), FACTS, 2)) != h


def test_canonical_json_is_compact_sorted_and_keeps_danish_letters():
    text = canonical_json(content(), FACTS, 1)
    assert text.startswith('{"allocations":')
    assert ", " not in text.replace("Formand for KKR", "")
    assert "Indkrævet" in text
    assert "177166300" in text  # øre as integers, never floats


def test_parse_signatory_splits_on_the_first_comma():
    assert parse_signatory("Thomas Kastrup-Larsen, Formand for KKR Nordjylland") == \
        ("Thomas Kastrup-Larsen", "Formand for KKR Nordjylland")
    assert parse_signatory("  Mogens  Gade ") == ("Mogens Gade", "")
    assert parse_signatory("A, Borgmester, Hjørring").title == "Borgmester, Hjørring"
    with pytest.raises(InputError):
        parse_signatory(", Formand")


def test_validate_facts_lists_every_problem():
    bad = ApprovalFacts(" ", date(2024, 1, 1), "", (Signatory("A"), Signatory("a")))
    problems = validate_facts(bad)
    assert len(problems) == 3
    assert validate_facts(FACTS) == []


def test_approval_line_is_danish():
    assert approval_line(FACTS) == "Godkendt af KKR Nordjylland den 12. marts 2024 (punkt 2.4)"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_the_printed_date_is_what_babel_writes_for_da_dk(d):
    """format_date is on every approved document and writes its month names itself; the
    text is babel's da_DK «d. MMMM y», to the character."""
    from babel.dates import format_date as babel_format_date

    from kkr_desktop.core.approval import format_date

    assert format_date(d) == babel_format_date(d, format="d. MMMM y", locale="da_DK")
