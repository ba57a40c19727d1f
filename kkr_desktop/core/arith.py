"""Arithmetic in an amount cell, as GnuCash allows: ``30000+7502``, ``=1.000*12``,
``-(500+250)``.

A tiny recursive-descent parser over Danish numbers and ``+ - * / ( )`` (never eval).
Each number is read by `money.parse_amount`'s rules (dot only between thousands, comma for
decimals, at most two decimals), so ``1.5+1`` is refused just as ``1.5`` is. Sums, differences
and products are exact Decimals; a quotient is carried to 40 significant digits. The result
is rounded once, at the end, to whole øre, half away from zero (1000/3 = 333,33;
0,005*1 = 0,01), as a printed statement rounds. Anything wrong is an AmountError in Danish:
division by zero, too deep parentheses or too long a text never become a Python error.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from kkr_desktop.core.errors import AmountError
from kkr_desktop.core.money import MAX_ORE, ore_to_decimal, parse_amount, quoted

MAX_LENGTH = 200  # characters of a formula; a cell is not a program
MAX_DEPTH = 30  # nested parentheses and signs
# Past this, an intermediate result is no budget figure and would outgrow exact Decimals.
_LIMIT = Decimal(10) ** 15
_OPERATORS = "+-*/()"
_NORMAL = str.maketrans({"\u2212": "-", "\u2013": "-", "×": "*", "÷": "/", "\u00a0": " ",
                         "\u202f": " "})
# A number: with spaces between groups of thousands (as Excel may copy it), or digits,
# dots and commas that `parse_amount` then reads or refuses with its reason.
_NUMBER = re.compile(r"[0-9]{1,3}(?: [0-9]{3})+(?:,[0-9]+)?(?![0-9.])|[0-9][0-9.,]*")


def parse_cell_amount(text: str | None) -> int | None:
    """What a user types into an amount cell, in øre: empty is None (not known yet), a
    Danish amount as `parse_optional_amount` reads it, or a formula (see the module)."""
    if text is None or not text.strip():
        return None
    try:
        return parse_amount(text)
    except AmountError as plain:
        s = text.strip()
        body = s[1:] if s.startswith("=") else s.lstrip("+-\u2212\u2013")
        if not s.startswith("=") and not any(c in _OPERATORS + "×÷" for c in body):
            raise plain from None  # no formula: the amount's own explanation is the best
        return evaluate(text)


def evaluate(text: str) -> int:
    """A formula's value in øre; AmountError (Danish) if it is not a formula we can read."""
    if len(text) > MAX_LENGTH:
        raise AmountError(f"{quoted(text)} er for lang til en beregning; højst "
                          f"{MAX_LENGTH} tegn.")
    s = text.strip().translate(_NORMAL)
    if s.startswith("="):
        s = s[1:]
    parser = _Parser(text, s)
    with localcontext(Context(prec=40)):
        value = parser.parse()
    ore = (value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if abs(ore) > MAX_ORE:
        raise AmountError(f"{quoted(text)} giver et for stort beløb; højst "
                          "1.000.000.000.000 kr.")
    return int(ore)


class _Parser:
    """expr := term (('+'|'-') term)* ; term := factor (('*'|'/') factor)* ;
    factor := ('+'|'-') factor | '(' expr ')' | number"""

    def __init__(self, raw: str, text: str) -> None:
        self.raw = raw
        self.tokens = self._tokens(text)
        self.pos = 0
        self.depth = 0

    def _tokens(self, s: str) -> list[str]:
        tokens: list[str] = []
        i = 0
        while i < len(s):
            c = s[i]
            if c == " ":
                i += 1
            elif c in _OPERATORS:
                tokens.append(c)
                i += 1
            elif (m := _NUMBER.match(s, i)) is not None:
                tokens.append(m.group())
                i = m.end()
            else:
                raise AmountError(f"{quoted(self.raw)}: tegnet «{c}» kan ikke bruges i et "
                                  "beløb. Skriv et beløb som 1.234,50 eller en beregning "
                                  "som 30000+7502.")
        if not tokens:
            raise AmountError("Beløbet mangler.")
        return tokens

    def parse(self) -> Decimal:
        value = self._expr()
        if self.pos < len(self.tokens):
            raise self._error(f"«{self.tokens[self.pos]}» står et sted, hvor der skulle "
                              "stå + - * eller /")
        return value

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _expr(self) -> Decimal:
        value = self._term()
        while self._peek() in ("+", "-"):
            op = self.tokens[self.pos]
            self.pos += 1
            right = self._term()
            value = self._checked(value + right if op == "+" else value - right)
        return value

    def _term(self) -> Decimal:
        value = self._factor()
        while self._peek() in ("*", "/"):
            op = self.tokens[self.pos]
            self.pos += 1
            right = self._factor()
            if op == "*":
                value = self._checked(value * right)
            elif right == 0:
                raise AmountError(f"{quoted(self.raw)}: division med nul.")
            else:
                value = self._checked(value / right)
        return value

    def _factor(self) -> Decimal:
        token = self._peek()
        if token is None:
            raise self._error("beregningen slutter midt i et regnestykke")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AmountError(f"{quoted(self.raw)} har for mange parenteser eller fortegn "
                              f"inden i hinanden; højst {MAX_DEPTH}.")
        try:
            self.pos += 1
            if token in ("+", "-"):
                value = self._factor()
                return -value if token == "-" else value
            if token == "(":
                value = self._expr()
                if self._peek() != ")":
                    raise self._error("en parentes er ikke lukket")
                self.pos += 1
                return value
            if token in _OPERATORS:
                raise self._error(f"«{token}» står et sted, hvor der skulle stå et tal")
            return ore_to_decimal(parse_amount(token))
        finally:
            self.depth -= 1

    def _checked(self, value: Decimal) -> Decimal:
        if abs(value) >= _LIMIT:
            raise AmountError(f"{quoted(self.raw)} giver et for stort beløb undervejs; højst "
                              "1.000.000.000.000 kr.")
        return value

    def _error(self, why: str) -> AmountError:
        return AmountError(f"{quoted(self.raw)} er ikke en beregning, der kan regnes ud: "
                           f"{why}.")
