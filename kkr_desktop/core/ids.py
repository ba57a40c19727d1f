"""Identifiers of a receiving kommune: CVR number and EAN (GLN) number.

Each check returns a Danish message describing what is wrong, or None when the value is
acceptable, so a caller can collect every problem before it refuses anything.
"""

from __future__ import annotations


def _digits(value: str) -> bool:
    """ASCII digits only: str.isdigit() is also true for «²» and «٣», which are no CVR."""
    return value.isascii() and value.isdigit()


def normalise_id(text: str) -> str:
    """Digits as typed, without the spaces and dashes people put in (``2918 9420``)."""
    return "".join(text.split()).replace("-", "")


CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_checksum_ok(digits: str) -> bool:
    """The modulus-11 rule of the CVR register: the weighted digit sum divides by 11."""
    return sum(int(d) * w for d, w in zip(digits, CVR_WEIGHTS, strict=True)) % 11 == 0


def cvr_problem(cvr: str) -> str | None:
    """A CVR number is 8 digits that pass the modulus-11 check."""
    value = normalise_id(cvr)
    if not value:
        return "CVR-nummer mangler"
    if not _digits(value) or len(value) != 8:
        return f"CVR-nummeret «{cvr}» skal være 8 cifre"
    if not cvr_checksum_ok(value):
        return (f"CVR-nummeret «{cvr}» findes ikke: det består ikke CVR-registrets "
                "kontrol (modulus 11); er et ciffer tastet forkert?")
    return None


def gs1_check_digit(digits: str) -> int:
    """The GS1 check digit of the digits before it: weights 3, 1, 3, … from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def ean_problem(ean: str) -> str | None:
    """An EAN (GLN) location number is 13 digits, the last a valid GS1 check digit."""
    value = normalise_id(ean)
    if not value:
        return "EAN-nummer mangler"
    if "e+" in value.lower():
        return (f"EAN-nummeret «{ean}» er gemt som et tal i videnskabelig notation (Excel); "
                "formatér kolonnen som tekst og skriv alle 13 cifre")
    if not _digits(value) or len(value) != 13:
        return f"EAN-nummeret «{ean}» skal være 13 cifre"
    if gs1_check_digit(value[:12]) != int(value[12]):
        return (f"EAN-nummeret «{ean}» har et forkert kontrolciffer (sidste ciffer skulle "
                f"være {gs1_check_digit(value[:12])}); er det tastet forkert?")
    return None


def make_ean(first12: str) -> str:
    """The 13-digit number with its check digit appended."""
    if not _digits(first12) or len(first12) != 12:
        raise ValueError("an EAN needs 12 digits before its check digit")
    return first12 + str(gs1_check_digit(first12))
