"""Danish amounts: the one place that parses and formats money.

Money is held as whole øre in an `int`. Parsing accepts the forms a Danish finance officer
types: ``1.690.518,25``, ``-1.000``, ``0``, ``1690518,25``, ``1 690 518,25``. A dot is only
ever a thousands separator and must be followed by groups of exactly three digits, so the
ambiguous ``1.5`` is refused rather than read as 15 or as 1,50; ``1.500`` is one thousand
five hundred, as in Danish. More than two decimals is refused: amounts are whole øre.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from kkr_desktop.core.errors import AmountError

_MINUS = "-\u2212\u2013"
MAX_ORE = 10**14  # 1.000.000.000.000 kr.
_MAX_KRONER_DIGITS = len(str(MAX_ORE // 100))
# A kommune's population: Denmark has six million people. A figure past this is a typo or a
# broken file, and past SQLite's INTEGER it would not even be stored.
MAX_POPULATION = 10_000_000
_SHOWN = 40  # characters of a refused text quoted back; a file may hold thousands
_AMOUNT = re.compile(
    r"""^(?P<sign>[-])?
        (?P<int>\d{1,3}(?:\.\d{3})+|\d{1,3}(?:\ \d{3})+|\d+)
        (?:,(?P<dec>\d{1,2}))?$""",
    re.VERBOSE | re.ASCII,  # Danish digits only: «١٢» or «²» in a money column is an error
)


def parse_amount(text: str) -> int:
    """Parse a Danish amount into øre. Raises AmountError quoting the text."""
    raw = text
    s = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if s.lower().endswith("kr."):
        s = s[:-3].strip()
    for m in _MINUS[1:]:
        s = s.replace(m, "-")
    if s.startswith("+"):
        s = s[1:]
    s = s.replace("- ", "-")
    match = _AMOUNT.match(s)
    if not match:
        raise AmountError(_explain(raw, s))
    # Counted before int(): int() refuses more than 4,300 digits with a ValueError.
    digits = match["int"].replace(".", "").replace(" ", "").lstrip("0") or "0"
    dec = (match["dec"] or "").ljust(2, "0")
    if len(digits) > _MAX_KRONER_DIGITS or int(digits) * 100 + int(dec) > MAX_ORE:
        # Far past any budget, and past what SQLite's INTEGER and babel's formatting hold.
        raise AmountError(f"{quoted(raw)} er et for stort beløb; højst 1.000.000.000.000 kr.")
    ore = int(digits) * 100 + int(dec)
    return -ore if match["sign"] else ore


def quoted(text: str) -> str:
    """A text the user gave, in «», cut short if long: a refused 5,000-digit number or a
    140,000-character cell is not echoed back whole."""
    if len(text) <= _SHOWN:
        return f"«{text}»"
    return f"«{text[:_SHOWN - 10]}…{text[-5:]}» ({format_count(len(text))} tegn)"


def parse_optional_amount(text: str | None) -> int | None:
    """Like parse_amount, but an empty text means 'not known yet' (None)."""
    if text is None or not text.strip():
        return None
    return parse_amount(text)


def _explain(raw: str, s: str) -> str:
    quote = quoted(raw)
    if not s:
        return "Beløbet mangler."
    if re.fullmatch(r"-?\d+(\.\d+)*\.\d{1,2}", s):
        return (f"{quote} er ikke et entydigt beløb: brug komma som decimaltegn (fx 1,50) "
                "og punktum kun mellem tusinder (fx 1.500).")
    if re.fullmatch(r"-?[\d.]+,\d{3,}", s):
        return f"{quote} har mere end to decimaler; beløb angives i hele øre (fx 12,50)."
    if "," in s and s.count(",") > 1:
        return f"{quote} har mere end ét decimalkomma."
    if re.search(r"\.\d{0,2}(?:\.|,|$)|\.\d{4,}", s):
        return f"{quote} har et tusindtalspunktum det forkerte sted (fx 1.690.518,25)."
    return f"{quote} er ikke et beløb. Skriv fx 1.690.518,25 eller -1.000."


def ore_to_decimal(ore: int) -> Decimal:
    """Øre as kroner, exact."""
    return Decimal(ore).scaleb(-2)


def decimal_to_ore(kroner: Decimal) -> int:
    """Kroner as øre; refuses fractions of an øre instead of rounding them away, and what
    is no amount (infinity, NaN) or past MAX_ORE."""
    if not kroner.is_finite():
        raise AmountError(f"{quoted(str(kroner))} er ikke et beløb.")
    if kroner.adjusted() >= _MAX_KRONER_DIGITS or abs(kroner) * 100 > MAX_ORE:
        raise AmountError(f"{quoted(str(kroner))} er et for stort beløb; højst "
                          "1.000.000.000.000 kr.")
    ore = kroner * 100
    if ore != ore.to_integral_value():
        raise AmountError(f"{quoted(str(kroner))} har brøkdele af en øre.")
    return int(ore)


def round_to_unit(ore: int, unit_ore: int) -> int:
    """Round øre to a multiple of `unit_ore` (1, 100, 100_000), half away from zero."""
    if unit_ore == 1:
        return ore
    q = (Decimal(ore) / unit_ore).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(q) * unit_ore


def _grouped(n: int) -> str:
    """A whole number with Danish thousands dots (``-1.690.518``): what babel's da_DK
    pattern #,##0 gives, without its cost, since every amount on screen passes here."""
    return ("-" if n < 0 else "") + f"{abs(n):,}".replace(",", ".")


def format_amount(ore: int | None, *, decimals: bool | None = None, blank: str = "") -> str:
    """Danish format: ``1.690.518,25``; ``1.771.663`` for whole kroner.

    decimals=None shows øre only when there are any; True always; False rounds to whole
    kroner (half away from zero) as a printed statement in kroner does.
    """
    if ore is None:
        return blank
    if decimals is None:
        decimals = ore % 100 != 0
    if decimals:
        kroner, rest = divmod(abs(ore), 100)
        return ("-" if ore < 0 else "") + f"{_grouped(kroner)},{rest:02d}"
    return _grouped(round_to_unit(ore, 100) // 100)


def format_thousands(ore: int) -> str:
    """An amount in 1.000 kr. as printed in keys (``17.645``); exact only for multiples."""
    return _grouped(round_to_unit(ore, 100_000) // 100_000)


def to_json_amount(ore: int | None) -> str | None:
    """Amounts in JSON: kroner as a string with a dot and two decimals ("-1.00")."""
    if ore is None:
        return None
    sign = "-" if ore < 0 else ""
    kr, o = divmod(abs(ore), 100)
    return f"{sign}{kr}.{o:02d}"


def parse_rate(text: str) -> Decimal:
    """A percentage such as ``4,8`` or ``4.8`` or ``4,8 %`` as a Decimal (4.8)."""
    s = text.strip().rstrip("%").strip().replace(",", ".")
    if not re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{1,4})?", s):
        raise AmountError(f"{quoted(text)} er ikke en procentsats. Skriv fx 4,8.")
    return Decimal(s)


def format_rate(rate: Decimal | None) -> str:
    """A percentage in Danish form: ``4,8 %``."""
    if rate is None:
        return ""
    return f"{rate.normalize():f}".replace(".", ",") + " %"


def format_count(value: int | Decimal) -> str:
    """A whole number such as a population in Danish format (``217.075``)."""
    return _grouped(int(value))


def parse_count(text: str) -> int:
    """A whole count such as a population, as typed or as a file holds it: ``58.210``,
    ``58 210`` or ``58210``. Raises AmountError quoting the text; at most MAX_POPULATION."""
    s = text.strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
    if not (s.isascii() and s.isdigit()):  # «²» and «٣» are digits to str.isdigit()
        raise AmountError(f"{quoted(text.strip())} er ikke et folketal. Skriv et helt tal, "
                          "fx 58.210.")
    s = s.lstrip("0") or "0"
    if len(s) > len(str(MAX_POPULATION)) or int(s) > MAX_POPULATION:
        raise AmountError(f"{quoted(text.strip())} er et urimeligt stort folketal; højst "
                          f"{format_count(MAX_POPULATION)} pr. kommune.")
    return int(s)
