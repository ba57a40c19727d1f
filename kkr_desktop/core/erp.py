"""What an ERP export is made of: profiles (the file layout), the members' ERP fields, the
lines per kommune and the host's journal. Pure data; formats/erp.py writes the bytes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from kkr_desktop.core.allocation import Allocation, AllocationKind
from kkr_desktop.core.ids import cvr_problem, ean_problem, normalise_id

# The fields a profile can put in a column, with the header the Standard profile uses.
FIELDS: dict[str, str] = {
    "kommunekode": "Kommunekode",
    "kommune": "Kommunens navn",
    "cvr": "CVR-nummer",
    "ean": "EAN-nummer (GLN)",
    "konto": "Kontostreng (autoriseret kontoplan)",
    "beløb": "Beløb (kommunen betaler; negativt ved udbetaling)",
    "tekst": "Tekst",
    "år": "År",
    "periode": "Periode (måned)",
    "forfaldsdato": "Forfaldsdato",
    "reference": "Reference",
}
ENCODINGS: dict[str, str] = {"utf-8-sig": "UTF-8 med BOM (Excel)", "utf-8": "UTF-8 uden BOM",
                             "cp1252": "Windows-1252 (ANSI)"}
LINE_ENDS: dict[str, str] = {"crlf": "CRLF (Windows)", "lf": "LF (Unix)"}
DATE_FORMATS = ("dd-mm-åååå", "dd.mm.åååå", "åååå-mm-dd", "ddmmåååå", "ååååmmdd")
STANDARD = "Standard (Excel)"


@dataclass(frozen=True)
class ExportProfile:
    name: str
    columns: tuple[tuple[str, str], ...]  # (field, header) in file order
    separator: str = ";"
    decimal_separator: str = ","
    date_format: str = "dd-mm-åååå"
    encoding: str = "utf-8-sig"
    line_end: str = "crlf"
    quote_text: bool = False  # text fields (CVR, EAN, konto, …) inside "…" in the CSV
    builtin: bool = False
    id: int | None = None

    @property
    def newline(self) -> str:
        return "\r\n" if self.line_end == "crlf" else "\n"

    def copy(self, name: str) -> ExportProfile:
        return replace(self, name=name, builtin=False, id=None)


def format_date(d: date, pattern: str) -> str:
    """A date in a profile's pattern: dd, mm and åååå (or yyyy) are replaced."""
    out = pattern.replace("åååå", "{y}").replace("yyyy", "{y}")
    out = out.replace("dd", "{d}").replace("mm", "{m}")
    return out.format(y=f"{d.year:04d}", m=f"{d.month:02d}", d=f"{d.day:02d}")


def date_format_ok(pattern: str) -> bool:
    years = pattern.count("åååå") + pattern.count("yyyy")
    rest = pattern.replace("åååå", "").replace("yyyy", "")
    if years != 1 or rest.count("dd") != 1 or rest.count("mm") != 1:
        return False
    return not rest.replace("dd", "").replace("mm", "").strip("-./ ")


def profile_problems(p: ExportProfile) -> list[str]:
    """Every reason the profile cannot be used, in Danish."""
    out = []
    if not p.name.strip():
        out.append("Profilen skal have et navn.")
    if not p.columns:
        out.append("Profilen skal have mindst én kolonne.")
    fields = [f for f, _ in p.columns]
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        out.append("Ukendte felter: " + ", ".join(unknown) + ".")
    if len(set(fields)) != len(fields):
        out.append("Et felt står i mere end én kolonne.")
    if "beløb" not in fields:
        out.append("Profilen skal have en kolonne med beløbet.")
    if any(not h.strip() for _, h in p.columns):
        out.append("Alle kolonner skal have en overskrift.")
    if len(p.separator) != 1 or p.separator in "\"\r\n" or p.separator.isalnum():
        out.append(f"«{p.separator}» kan ikke være skilletegn; brug fx semikolon.")
    if p.decimal_separator not in (",", "."):
        out.append("Decimaltegnet skal være komma eller punktum.")
    elif p.decimal_separator == p.separator:
        out.append("Decimaltegn og skilletegn må ikke være det samme.")
    if not date_format_ok(p.date_format):
        out.append(f"Datoformatet «{p.date_format}» skal bestå af dd, mm og åååå, "
                   "fx dd-mm-åååå.")
    if p.encoding not in ENCODINGS:
        out.append(f"Tegnsættet «{p.encoding}» kendes ikke.")
    if p.line_end not in LINE_ENDS:
        out.append(f"Linjeskiftet «{p.line_end}» kendes ikke.")
    return out


@dataclass(frozen=True)
class MemberErp:
    """The ERP fields of one member kommune as one secretariat uses them ('' when not typed
    in): the kommune's values shared by every secretariat, or (own) this secretariat's own."""

    kommunekode: int
    kommune: str
    cvr: str = ""
    ean: str = ""
    konto: str = ""
    own: bool = False

    def problems(self, need: tuple[str, ...] = ("cvr", "ean", "konto")) -> list[str]:
        """What is missing or malformed among the fields in `need`."""
        out = []
        if "cvr" in need and (p := cvr_problem(self.cvr)):
            out.append(p)
        if "ean" in need and (p := ean_problem(self.ean)):
            out.append(p)
        if "konto" in need and not self.konto.strip():
            out.append("kontostreng mangler")
        return out

    def normalised(self) -> MemberErp:
        return replace(self, cvr=normalise_id(self.cvr), ean=normalise_id(self.ean),
                       konto=self.konto.strip())


@dataclass(frozen=True)
class ErpLine:
    """One line of the ERP file: what one kommune pays (negative: receives)."""

    kommunekode: int
    kommune: str
    cvr: str
    ean: str
    konto: str
    amount: int  # øre
    text: str
    year: int
    period: int
    due: date
    reference: str

    def value(self, name: str) -> object:
        return {"kommunekode": self.kommunekode, "kommune": self.kommune, "cvr": self.cvr,
                "ean": self.ean, "konto": self.konto, "beløb": self.amount,
                "tekst": self.text, "år": self.year, "periode": self.period,
                "forfaldsdato": self.due, "reference": self.reference}[name]


def sign(kind: AllocationKind) -> int:
    """+1 when the kommuner pay, −1 when they receive (a payout of the surplus)."""
    return -1 if kind is AllocationKind.PAYOUT else 1


def default_text(kind: AllocationKind, year: int, secretariat: str, total: int = 0) -> str:
    """The line text; a negative payout is the deficit of regnskab `year`−1 charged."""
    if kind is AllocationKind.PAYOUT and total < 0:
        return f"Opkrævning af underskud {year - 1} – {secretariat}"
    return {AllocationKind.CONTRIBUTION: f"Bidrag {year} – {secretariat}",
            AllocationKind.PAYOUT: f"Udbetaling af overskud {year - 1} – {secretariat}",
            AllocationKind.ADJUSTMENT: f"Efterregulering af bidrag {year} – {secretariat}",
            }[kind]


@dataclass(frozen=True)
class LineOptions:
    year: int
    due: date
    text: str
    period: int | None = None  # None: see booking_period
    reference_prefix: str = field(default="")


def booking_period(year: int, due: date) -> int:
    """The month of `year` a line is booked in: the due date's month when it falls in that
    year; otherwise the year's first (a due date before it) or last month (after it)."""
    if due.year == year:
        return due.month
    return 1 if due.year < year else 12


def erp_lines(allocation: Allocation, members: dict[int, MemberErp], options: LineOptions
              ) -> list[ErpLine]:
    """A line per kommune of the allocation. The members' fields must have been checked."""
    s = sign(allocation.kind)
    period = options.period or booking_period(options.year, options.due)
    out = []
    for row in allocation.rows:
        m = members[row.kommunekode].normalised()
        out.append(ErpLine(row.kommunekode, row.kommune, m.cvr, m.ean, m.konto,
                           s * row.amount, options.text, options.year, period, options.due,
                           f"{options.reference_prefix}{row.kommunekode}"))
    return out


@dataclass(frozen=True)
class JournalEntry:
    """One line of the host's journal (kassekladde)."""

    due: date  # the booking date: inside the year and period billed (booking_date)
    reference: str
    account: str
    text: str
    debit: int  # øre, ≥ 0
    credit: int  # øre, ≥ 0
    kommunekode: int
    kommune: str
    cvr: str
    year: int = 0
    period: int = 0


def booking_date(year: int, period: int, due: date) -> date:
    """The date the host books a billing on: the due date when it falls in the period
    billed, else the period's last day, so that a December billing due in January is booked
    in December of the year billed, not in the next year's accounts."""
    if (due.year, due.month) == (year, period):
        return due
    last = (date(year + 1, 1, 1) if period == 12 else date(year, period + 1, 1)) \
        - timedelta(days=1)
    return last


def journal_entries(lines: list[ErpLine], receivable: str, income: str
                    ) -> list[JournalEntry]:
    """A balanced pair per kommune: debit the receivable and credit the income for what a
    kommune pays; the reverse for what it receives."""
    out = []
    for ln in lines:
        a = abs(ln.amount)
        debit_account, credit_account = (receivable, income) if ln.amount >= 0 else (
            income, receivable)
        text = f"{ln.text} – {ln.kommune}"
        booked = booking_date(ln.year, ln.period, ln.due)
        out.append(JournalEntry(booked, ln.reference, debit_account, text, a, 0,
                                ln.kommunekode, ln.kommune, ln.cvr, ln.year, ln.period))
        out.append(JournalEntry(booked, ln.reference, credit_account, text, 0, a,
                                ln.kommunekode, ln.kommune, ln.cvr, ln.year, ln.period))
    return out
