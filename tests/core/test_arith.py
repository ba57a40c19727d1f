"""Cell arithmetic: Danish numbers, + - * / ( ), exact to the øre, never eval."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kkr_desktop.core.arith import MAX_DEPTH, evaluate, parse_cell_amount
from kkr_desktop.core.errors import AmountError
from kkr_desktop.core.money import format_amount


@pytest.mark.parametrize(("text", "ore"), [
    ("30000+7502", 3_750_200),
    ("=1.000*12", 1_200_000),
    ("-(500+250)", -75_000),
    ("1.234,50 + 0,50", 123_500),
    ("1000/3", 33_333),          # 333,333… rounds down to 333,33
    ("2/3", 67),                 # 0,666… rounds up to 0,67
    ("0,01/2", 1),               # half an øre rounds away from zero
    ("-0,01/2", -1),
    ("10 − 2,5 × 2", 500),       # the minus and times signs a word processor makes
    ("((1+2)*(3+4))", 2_100),
    ("=5", 500),
    ("1 500 000+2,5", 150_000_250),  # spaces between thousands, as Excel may copy them
])
def test_formulas_are_worked_out_to_the_ore(text, ore):
    assert parse_cell_amount(text) == ore


@pytest.mark.parametrize(("text", "ore"), [
    ("1.690.518,25", 169_051_825), ("-1.000", -100_000), ("1 234", 123_400),
    ("37.618 kr.", 3_761_800), ("", None), ("  ", None),
])
def test_plain_amounts_read_as_before(text, ore):
    assert parse_cell_amount(text) == ore


@pytest.mark.parametrize(("text", "message"), [
    ("10/0", "«10/0»: division med nul."),
    ("10/(5-5)", "«10/(5-5)»: division med nul."),
    ("1.5+1", "«1.5» er ikke et entydigt beløb"),
    ("1+", "slutter midt i et regnestykke"),
    ("(1+2", "en parentes er ikke lukket"),
    ("1+2)", "«)» står et sted"),
    ("2**3", "«*» står et sted, hvor der skulle stå et tal"),
    ("__import__('os')", "tegnet «_» kan ikke bruges"),
    ("1.5", "ikke et entydigt beløb"),  # no operator: the amount's own explanation
    ("999999999999*999999999999", "for stort beløb"),
])
def test_what_cannot_be_worked_out_is_said_in_danish(text, message):
    with pytest.raises(AmountError) as caught:
        parse_cell_amount(text)
    assert message in caught.value.message


def test_deep_parentheses_are_a_danish_error_not_a_recursion_error():
    text = "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)
    with pytest.raises(AmountError, match="for mange parenteser"):
        evaluate(text)
    assert evaluate("(" * (MAX_DEPTH - 1) + "1" + ")" * (MAX_DEPTH - 1)) == 100
    with pytest.raises(AmountError, match="for mange parenteser"):
        evaluate("-" * 150)


def test_a_long_text_is_refused_by_its_length():
    with pytest.raises(AmountError, match="for lang til en beregning"):
        evaluate("1+" * 5000 + "1")


amounts = st.integers(min_value=-10**9, max_value=10**9)


@given(amounts, amounts)
def test_a_sum_of_typed_amounts_is_exact(a, b):
    assert parse_cell_amount(f"{format_amount(a)}+{format_amount(b)}") == a + b
    assert parse_cell_amount(f"={format_amount(a)}-({format_amount(b)})") == a - b


@given(amounts, st.integers(min_value=1, max_value=1000))
def test_a_quotient_rounds_half_away_from_zero(a, n):
    expected = (Decimal(a) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert parse_cell_amount(f"{format_amount(a)}/{n}") == int(expected)


@settings(max_examples=300)
@given(st.text(alphabet="0123456789.,+-*/() =×÷−kr", max_size=400))
def test_any_text_is_an_amount_or_a_danish_error(text):
    try:
        value = parse_cell_amount(text)
    except AmountError as exc:
        assert exc.message and "Traceback" not in exc.message
    else:
        assert value is None or isinstance(value, int)


@given(st.integers(min_value=1, max_value=400))
def test_nesting_of_any_depth_never_breaks_python(depth):
    text = "(" * depth + "1" + ")" * depth
    try:
        assert evaluate(text) == 100
    except AmountError as exc:
        assert "for mange parenteser" in exc.message or "for lang" in exc.message
