from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kkr_desktop.core import money
from kkr_desktop.core.errors import AmountError
from kkr_desktop.core.money import (
    MAX_ORE,
    decimal_to_ore,
    format_amount,
    format_rate,
    ore_to_decimal,
    parse_amount,
    parse_optional_amount,
    parse_rate,
    round_to_unit,
    to_json_amount,
)


@pytest.mark.parametrize("text, ore", [
    ("1.690.518,25", 169051825),
    ("-1.000", -100000),
    ("0", 0),
    ("1690518,25", 169051825),
    ("1.500", 150000),  # a dot is a thousands separator: one thousand five hundred
    ("12,5", 1250),
    ("  2.019.060 ", 201906000),
    ("−571.489,47", -57148947),  # typographic minus, as pasted from Word
    ("1 690 518,25", 169051825),
    ("1.771.663 kr.", 177166300),
    ("+35.000", 3500000),
])
def test_parses_danish_amounts(text, ore):
    assert parse_amount(text) == ore


@pytest.mark.parametrize("text, hint", [
    ("1.5", "entydigt"),  # ambiguous: neither 15 nor 1,50
    ("1.50", "entydigt"),
    ("12,3,4", "decimalkomma"),
    ("1,234", "to decimaler"),
    ("12.34.567", "tusindtalspunktum"),
    ("abc", "ikke et beløb"),
    ("", "mangler"),
    ("1.690.518.25", "entydigt"),
    ("1e5", "ikke et beløb"),
    ("--5", "ikke et beløb"),
])
def test_refuses_bad_amounts_quoting_the_text(text, hint):
    with pytest.raises(AmountError) as err:
        parse_amount(text)
    assert hint in err.value.message
    if text:
        assert f"«{text}»" in err.value.message


def test_optional_amount_empty_is_unknown():
    assert parse_optional_amount("") is None
    assert parse_optional_amount("  ") is None
    assert parse_optional_amount("0") == 0


@pytest.mark.parametrize("ore, text", [
    (169051825, "1.690.518,25"),
    (177166300, "1.771.663"),
    (-100, "-1"),
    (0, "0"),
    (57148947, "571.489,47"),
])
def test_formats_danish(ore, text):
    assert format_amount(ore) == text


def test_format_whole_kroner_rounds_half_away_from_zero():
    assert format_amount(57148950, decimals=False) == "571.490"
    assert format_amount(57148947, decimals=False) == "571.489"
    assert format_amount(-150, decimals=False) == "-2"
    assert format_amount(177166300, decimals=True) == "1.771.663,00"


@given(st.integers(min_value=-10**13, max_value=10**13))
def test_format_and_parse_round_trip(ore):
    assert parse_amount(format_amount(ore)) == ore
    assert parse_amount(format_amount(ore, decimals=True)) == ore


def test_json_amounts_have_a_dot_and_two_decimals():
    assert to_json_amount(-100) == "-1.00"
    assert to_json_amount(231656900) == "2316569.00"
    assert to_json_amount(5) == "0.05"
    assert to_json_amount(None) is None


def test_round_to_unit():
    assert round_to_unit(177166313, 100) == 177166300
    assert round_to_unit(150, 100) == 200
    assert round_to_unit(-150, 100) == -200
    assert round_to_unit(1764_549_00, 100_000) == 1765_000_00
    assert round_to_unit(1764_449_00, 100_000) == 1764_000_00


def test_rates():
    assert parse_rate("4,8") == Decimal("4.8")
    assert parse_rate("4.1 %") == Decimal("4.1")
    assert format_rate(Decimal("4.8")) == "4,8 %"
    with pytest.raises(AmountError):
        parse_rate("fire")


@given(st.integers(min_value=-10**15, max_value=10**15), st.sampled_from([None, True, False]))
def test_danish_formatting_is_what_babel_writes_for_da_dk(ore, decimals):
    """format_amount formats without babel (it is on every painted cell); its text is
    babel's da_DK #,##0(.00), to the character."""
    from babel.numbers import format_decimal

    from kkr_desktop.core.money import format_count, format_thousands, ore_to_decimal, round_to_unit

    shown = ore % 100 != 0 if decimals is None else decimals
    expected = (format_decimal(ore_to_decimal(ore), format="#,##0.00", locale="da_DK") if shown
                else format_decimal(round_to_unit(ore, 100) // 100, format="#,##0",
                                    locale="da_DK"))
    assert format_amount(ore, decimals=decimals) == expected
    assert format_count(ore) == format_decimal(ore, format="#,##0", locale="da_DK")
    assert format_thousands(ore) == format_decimal(round_to_unit(ore, 100_000) // 100_000,
                                                   format="#,##0", locale="da_DK")


# --- numbers past every sane size (issue 11 §4) -----------------------------------------

HUGE_DIGITS = st.builds(lambda sign, d, n, dec: sign + d * n + dec, st.sampled_from(["", "-"]),
                        st.sampled_from(["1", "9"]), st.integers(14, 9_000),
                        st.sampled_from(["", ",5", ",25"]))


@given(HUGE_DIGITS)
def test_a_huge_amount_is_a_short_amount_error(text):
    """int() refuses more than 4,300 digits with a ValueError; the parser must count first,
    and must not echo thousands of digits back to the user."""
    try:
        ore = parse_amount(text)
    except AmountError as exc:
        assert "for stort" in exc.message and len(exc.message) < 200
    else:
        assert abs(ore) <= MAX_ORE


@given(st.builds(lambda n: "1." + ".".join(["000"] * n), st.integers(5, 3_000)))
def test_a_huge_amount_with_thousands_dots_is_refused(text):
    with pytest.raises(AmountError, match="for stort"):
        parse_amount(text)


@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_decimal_to_ore_refuses_what_is_no_amount(kroner):
    """Infinity, NaN and amounts past MAX_ORE are an AmountError, never an OverflowError or
    decimal.InvalidOperation (xlsx cells and computed values come in as Decimals)."""
    try:
        ore = decimal_to_ore(kroner)
    except AmountError as exc:
        assert exc.message and len(exc.message) < 200
    else:
        assert abs(ore) <= MAX_ORE and ore_to_decimal(ore) == kroner


@given(st.one_of(HUGE_DIGITS, st.builds(lambda n: "4," + "1" * n, st.integers(5, 6_000))))
def test_a_huge_rate_is_a_short_error(text):
    with pytest.raises(AmountError) as err:
        parse_rate(text)
    assert len(err.value.message) < 200


@given(st.one_of(HUGE_DIGITS, st.integers(10**7 + 1, 10**40).map(str),
                 st.text(alphabet="0123456789²³٢. ", max_size=12)))
def test_a_population_count_is_parsed_or_refused_in_danish(text):
    try:
        value = money.parse_count(text)
    except AmountError as exc:
        assert exc.message and len(exc.message) < 200
    else:
        assert 0 <= value <= money.MAX_POPULATION
