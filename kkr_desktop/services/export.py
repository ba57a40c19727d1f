"""Export a stored allocation to the kommuner's ERP systems, and the host's journal.

`plan_erp` checks everything and builds the lines (the GUI shows its preview); `export_erp`
and `export_journal` write the files and record them. Nothing is written when a check
fails; an allocation that was exported before, or that no longer matches the statement, is
only exported on request.

The export log is what guards against billing the kommuner twice, so a file must never be
in place without its row in the log. The order that guarantees it, even when the program
is killed at any point:

1. every file is written in full under a temporary name beside its target and synced;
2. the export (with each file's path and SHA-256) is written to the log and committed;
3. the files are renamed into place.

A failure (or a kill) before 2 commits leaves no log row and no file in place (at most a
hidden temporary file). A failing commit removes the temporary files and says that nothing
was exported. A failure in 3 puts back what was there and marks the log row withdrawn in a
second transaction (the log itself is append-only). Only a kill between 2 and 3 (or a
failure of that mark) leaves a row without a file: that blocks the next export, which
`--again` (the window asks) overrides; the warning names the files, so the user can see
that they are missing. The reverse order
(rename, then commit) could leave a complete file with no row: a double-billing risk.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from kkr_desktop.core.allocation import AllocationKind
from kkr_desktop.core.approval import format_date
from kkr_desktop.core.erp import (
    STANDARD,
    ErpLine,
    ExportProfile,
    LineOptions,
    MemberErp,
    default_text,
    erp_lines,
    journal_entries,
    profile_problems,
    sign,
)
from kkr_desktop.core.errors import InputError, KkrError, StoreError
from kkr_desktop.core.money import format_amount
from kkr_desktop.formats import atomic
from kkr_desktop.formats.erp import (
    erp_rows,
    render_erp,
    render_erp_xlsx,
    render_journal,
    render_journal_xlsx,
)
from kkr_desktop.services import allocation as allocation_service
from kkr_desktop.services import outputs, verify
from kkr_desktop.store import allocations, approvals, erp
from kkr_desktop.store.allocations import StoredAllocation
from kkr_desktop.store.db import Store
from kkr_desktop.store.erp import ExportFile, ExportRecord
from kkr_desktop.store.secretariats import Secretariat

KIND_WORD = {AllocationKind.CONTRIBUTION: "bidrag", AllocationKind.PAYOUT: "udbetaling",
             AllocationKind.ADJUSTMENT: "efterregulering"}
KIND_CODE = {AllocationKind.CONTRIBUTION: "B", AllocationKind.PAYOUT: "U",
             AllocationKind.ADJUSTMENT: "E"}
DUE_DAYS = 30
# The file types an export can be written as, with their suffix.
FORMATS = {"csv": ".csv", "xlsx": ".xlsx"}


def refusal(error: type[KkrError], *, window: str, cli: str) -> KkrError:
    """A refusal worded for the window (the message), with the command line's wording of the
    same remedy in `cli_message` for the CLI to show instead."""
    exc = error(window)
    exc.cli_message = cli  # type: ignore[attr-defined]
    return exc


class AlreadyExportedError(InputError):
    """The allocation (or one of the same kind and year) was exported before."""

    def __init__(self, message: str, first: ExportRecord) -> None:
        super().__init__(message)
        self.first = first


class StaleAllocationError(InputError):
    """The stored allocation no longer matches what the statement says is to be billed."""


@dataclass(frozen=True)
class ErpPlan:
    secretariat: Secretariat
    year: int
    kind: AllocationKind
    stored: StoredAllocation
    profile: ExportProfile
    lines: list[ErpLine]
    previous: list[ExportRecord]  # earlier ERP exports of the same secretariat, year, kind
    stale: str | None = None  # how the stored allocation differs from the statement now
    draft: str | None = None  # said when the statement is not approved yet
    stale_cli: str | None = None  # `stale` with the command line's remedy
    key: str | None = None  # a warning: the key is not of the usual population quarter

    @property
    def amount_columns(self) -> list[int]:
        """The preview's columns that hold an amount (shown right-aligned)."""
        return [i for i, (f, _) in enumerate(self.profile.columns) if f == "beløb"]

    @property
    def total(self) -> int:
        """What the file says the kommuner pay in all (negative for a payout)."""
        return sum(ln.amount for ln in self.lines)

    @property
    def kommuner(self) -> int:
        return len(self.lines)

    def preview(self, rows: int = 5) -> list[list[str]]:
        """The header and the first rows, cell by cell as they will be written."""
        return erp_rows(self.profile, self.lines)[: rows + 1]

    def warning(self, what: str = "erp") -> str | None:
        """Said before a second export: when and by whom the first one was made."""
        earlier = [r for r in self.previous if r.what == what]
        if not earlier:
            return None
        first = earlier[0]
        same = first.allocation_id == self.stored.id
        subject = ("Denne fordeling" if same else
                   f"En fordeling af {KIND_WORD[self.kind]} for {self.year}")
        target = "værtskommunens kassekladde" if what == "journal" else "ERP"
        files = ", ".join(Path(f.path).name for f in first.files[:3])
        more = f" og {len(first.files) - 3} filer mere" if len(first.files) > 3 else ""
        gone = ""
        if first.files and not any(Path(f.path).exists() for f in first.files):
            gone = (" Filerne findes ikke længere, hvor de blev skrevet: er de ikke flyttet "
                    "videre til ERP-systemet, blev eksporten afbrudt, før de kom på plads, "
                    "og så er intet sendt til kommunerne.")
        return (f"{subject} blev eksporteret til {target} første gang den "
                f"{_when(first.exported_at)} af {first.exported_by} ({files}{more}; i alt "
                f"{format_amount(first.total, decimals=True)} kr.). Eksporteres den igen, "
                f"kan kommunerne blive opkrævet to gange.{gone}")


@dataclass(frozen=True)
class ExportResult:
    files: list[Path]
    total: int
    rows: int
    export_id: int
    warning: str | None  # set when this was a repeated export


WHAT_LABELS = {"erp": "ERP-fil", "journal": "kassekladde", "xlsx": "Excel-fil"}
# The kommune's bill across the bodies (services/billing.py) logs these kinds.
BILL_KINDS = {"bill-pdf": "opkrævningsbreve", "bill-csv": "samlet opkrævning (CSV)",
              "bill-xlsx": "samlet opkrævning (Excel)", "bill-oioubl": "e-fakturaer (OIOUBL)"}


def describe_log_entry(r) -> str:
    """One line of the export log in Danish: when, who, what, which profile, the total."""
    kind = (BILL_KINDS.get(r.kind) or AllocationKind(r.kind).label.lower()) if r.kind \
        else "opgørelse"
    what = WHAT_LABELS.get(r.what, r.what)
    profile = f", profil «{r.profile}»" if r.profile else ""
    return (f"{_when(r.exported_at)}  {r.exported_by}  {kind} {r.year} ({what}{profile})  "
            f"{format_amount(r.total, decimals=True)} kr.")


def _when(iso: str) -> str:
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{format_date(at.date())} kl. {at:%H.%M}"


def default_due(year: int | None = None, today: date | None = None) -> date:
    """The suggested due date: DUE_DAYS from today, but not before the end of January of the
    year billed (a budget approved in the autumn before is billed in its own year)."""
    due = (today or date.today()) + timedelta(days=DUE_DAYS)
    if year is not None:
        due = max(due, date(year, 1, 31))
    return due


def profiles(store: Store) -> list[ExportProfile]:
    return erp.profiles(store)


def save_profile(store: Store, profile: ExportProfile) -> int:
    problems = profile_problems(profile)
    if problems:
        raise InputError("Profilen kan ikke gemmes:\n  " + "\n  ".join(problems))
    return erp.save_profile(store, profile)


def copy_profile(store: Store, name: str, new_name: str) -> ExportProfile:
    pid = save_profile(store, erp.profile(store, name).copy(new_name.strip()))
    return next(p for p in erp.profiles(store) if p.id == pid)


def delete_profile(store: Store, profile: ExportProfile) -> None:
    erp.delete_profile(store, profile)


def export_log(store: Store, secretariat_id: int, year: int | None = None
               ) -> list[ExportRecord]:
    return erp.exports(store, secretariat_id, year)


def stored_allocation(store: Store, secretariat: Secretariat, year: int,
                      kind: AllocationKind) -> StoredAllocation:
    """The allocation every export of this kind bills (ERP, journal, Excel): the one the
    approval froze, and only while nothing approved was changed outside the program."""
    stored = allocation_service.for_billing(store, secretariat, year, kind)  # names rows
    verify.require_year_intact(store, secretariat.id, year)
    if stored is None:
        what = (f"Der er ingen gemt fordeling ({kind.label.lower()}) for {year} for "
                f"{secretariat.name}.")
        raise refusal(InputError,
                      window=f"{what} Beregn og gem den først under fanen Fordeling "
                      "(«Gem fordeling»).",
                      cli=f"{what} Beregn og gem den først med kkr-desktop allocate --kind "
                      f"{kind.value} --save.")
    return stored


def stale_message(store: Store, secretariat: Secretariat, year: int,
                  stored: StoredAllocation, *, cli: bool = False) -> str | None:
    """Why the stored allocation should be saved again before it is billed, or None; the
    remedy worded for the window, or (cli) for the command line.

    Once statement `year` is approved, its contribution and payout are the approved ones
    (frozen, and no other can be saved), so only the adjustment is compared then.
    """
    kind = stored.allocation.kind
    if kind is not AllocationKind.ADJUSTMENT and \
            approvals.in_force(store, secretariat.id, year) is not None:
        return None
    found = allocation_service.stored_differences(store, secretariat, year, stored.allocation)
    if not found:
        return None
    remedy = (f"med kkr-desktop allocate --kind {kind.value} --save" if cli else
              "under fanen Fordeling («Gem fordeling»)")
    return " ".join(found) + f" Gem fordelingen igen {remedy}, før den eksporteres."


def draft_notice(store: Store, secretariat: Secretariat, year: int, kind: AllocationKind
                 ) -> str | None:
    """A reminder, not a stop: billing usually follows the approval of statement `year`."""
    if approvals.in_force(store, secretariat.id, year) is not None:
        return None
    what = f"Regnskab {year - 1}" if kind is AllocationKind.PAYOUT else f"Budget {year}"
    return (f"{what} er ikke godkendt endnu: «Regnskab {year - 1} og budget {year}» er "
            "stadig en kladde, så beløbet kan nå at ændre sig, før det er godkendt.")


def stored_kinds(store: Store, secretariat: Secretariat, year: int) -> list[AllocationKind]:
    """The kinds that have a stored allocation for this year (what can be exported)."""
    return [k for k in AllocationKind
            if allocations.latest(store, secretariat.id, year, k) is not None]


def check_members(stored: StoredAllocation, fields: dict[int, MemberErp],
                  need: tuple[str, ...]) -> None:
    """Every missing or malformed value of every kommune, in one message."""
    problems = []
    for row in stored.allocation.rows:
        m = fields.get(row.kommunekode, MemberErp(row.kommunekode, row.kommune))
        found = m.problems(need)
        if found:
            problems.append(f"{row.kommunekode} {row.kommune}: " + "; ".join(found) + ".")
    if problems:
        listed = ":\n  " + "\n  ".join(problems)
        head = "ERP-oplysningerne er ikke i orden, så intet er eksporteret. Ret dem "
        raise refusal(InputError,
                      window=head + "med knappen «ERP-oplysninger…» (eller under Rediger → "
                      "Sekretariatets indstillinger…)" + listed,
                      cli=head + "med kkr-desktop members import --secretariat NAVN FIL"
                      + listed)


def plan_erp(store: Store, secretariat: Secretariat, year: int, kind: AllocationKind, *,
             profile: str | None = None, due: date | None = None, text: str | None = None,
             period: int | None = None, need: tuple[str, ...] = ("cvr", "ean", "konto")
             ) -> ErpPlan:
    """Check the stored allocation, the profile and the members' fields; build the lines."""
    prof = erp.profile(store, profile or STANDARD)
    problems = profile_problems(prof)
    if problems:
        raise InputError(f"Profilen «{prof.name}» kan ikke bruges:\n  " + "\n  ".join(problems))
    if period is not None and not 1 <= period <= 12:
        raise InputError(f"Perioden {period} skal være en måned, 1–12.")
    stored = stored_allocation(store, secretariat, year, kind)
    fields = erp.member_fields(store, secretariat.id)
    check_members(stored, fields, need)
    for row in stored.allocation.rows:
        fields.setdefault(row.kommunekode, MemberErp(row.kommunekode, row.kommune))
    options = LineOptions(year, due or default_due(year),
                          (text or default_text(kind, year, secretariat.name,
                                                stored.allocation.total)).strip(),
                          period, f"{year}-{KIND_CODE[kind]}{stored.id}-")
    lines = erp_lines(stored.allocation, fields, options)
    previous = erp.exports(store, secretariat.id, year, kind.value)
    return ErpPlan(secretariat, year, kind, stored, prof, lines, previous,
                   stale_message(store, secretariat, year, stored),
                   draft_notice(store, secretariat, year, kind),
                   stale_cli=stale_message(store, secretariat, year, stored, cli=True),
                   key=allocation_service.key_warning(store, year, stored.allocation))


def _refuse_repeat(plan: ErpPlan, what: str, again: bool, force: bool) -> str | None:
    if plan.stale and not force:
        raise refusal(StaleAllocationError, window=plan.stale, cli=plan.stale_cli or plan.stale)
    warning = plan.warning(what)
    if warning and not again:
        first = next(r for r in plan.previous if r.what == what)
        raise AlreadyExportedError(warning, first)
    return warning


def file_name(plan: ErpPlan, line: ErpLine | None = None, fmt: str = "csv") -> str:
    """The suggested name: kind, year and secretariat (and the kommune for a file of its
    own), so files of several secretariats can lie in one folder and still be told apart."""
    base = f"{KIND_WORD[plan.kind]}_{plan.year}_{plan.secretariat.name}"
    if line is not None:
        base += f"_{line.kommunekode}_{line.kommune}"
    stem = re.sub(r'[<>:"/\\|?*\s_]+', "_", base).strip("_")
    return atomic.safe_file_name(stem, FORMATS[fmt], "_")


def file_format(target: Path | str, fmt: str | None = None) -> str:
    """The file type asked for, or else the one the target's suffix names (.xlsx: a
    workbook; anything else: CSV)."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"Filtypen «{fmt}» kendes ikke; brug csv eller xlsx.")
        return fmt
    return "xlsx" if Path(target).suffix.lower() == ".xlsx" else "csv"


def export_erp(store: Store, plan: ErpPlan, target: Path | str, *,
               per_kommune: bool = False, again: bool = False, force: bool = False,
               fmt: str | None = None) -> ExportResult:
    """One file at `target`, or (per_kommune) one file per kommune in the folder `target`.

    `again` allows a repeated export; `force` an allocation that differs from the statement.
    `fmt` "csv" or "xlsx"; by default the suffix of `target` decides (per kommune: CSV).
    """
    verify.require_year_intact(store, plan.secretariat.id, plan.year)  # forged data/log
    target = Path(target)
    warning = _refuse_repeat(plan, "erp", again, force)
    fmt = file_format(target, fmt) if not per_kommune or fmt else "csv"
    render = render_erp_xlsx if fmt == "xlsx" else render_erp
    if per_kommune:
        if target.exists() and not target.is_dir():
            raise InputError(f"{target} er en fil; angiv en mappe til filerne pr. kommune.")
        atomic.refuse_protected(target, outputs.protected(store))  # before the folder is made
        target.mkdir(parents=True, exist_ok=True)
        files = {target / file_name(plan, ln, fmt): ([ln], render(plan.profile, [ln]))
                 for ln in plan.lines}
    else:
        if target.is_dir():
            raise InputError(f"{target} er en mappe; angiv et filnavn, fx "
                             f"{file_name(plan, fmt=fmt)}.")
        files = {target: (plan.lines, render(plan.profile, plan.lines))}
    return _write_and_log(store, plan, "erp", files, warning)


def export_journal(store: Store, plan: ErpPlan, target: Path | str, *, again: bool = False,
                   force: bool = False, fmt: str | None = None) -> ExportResult:
    """The host kommune's journal: a balanced pair of lines per kommune, as CSV or (fmt, or
    a target ending in .xlsx) a workbook."""
    verify.require_year_intact(store, plan.secretariat.id, plan.year)  # forged data/log
    target = Path(target)
    receivable, income = erp.journal_accounts(store, plan.secretariat.id)
    missing = [w for w, a in (("debitorkontoen", receivable), ("indtægtskontoen", income))
               if not a]
    if missing:
        head = "Kassekladden kan ikke laves: " + " og ".join(missing) + " er ikke angivet"
        raise refusal(InputError,
                      window=head + " under «ERP-oplysninger…» (nederst i vinduet).",
                      cli=head + "; angiv dem med kkr-desktop members accounts "
                      "--secretariat NAVN --receivable KONTO --income KONTO.")
    if target.is_dir():
        raise InputError(f"{target} er en mappe; angiv et filnavn.")
    warning = _refuse_repeat(plan, "journal", again, force)
    entries = journal_entries(plan.lines, receivable, income)
    assert sum(e.debit for e in entries) == sum(e.credit for e in entries)
    data = (render_journal_xlsx(entries) if file_format(target, fmt) == "xlsx"
            else render_journal(plan.profile, entries))
    return _write_and_log(store, plan, "journal", {target: (plan.lines, data)}, warning)


def _write_and_log(store: Store, plan: ErpPlan, what: str,
                   files: dict[Path, tuple[list[ErpLine], bytes]], warning: str | None
                   ) -> ExportResult:
    records = [ExportFile(str(path.resolve()), hashlib.sha256(data).hexdigest(),
                          sum(ln.amount for ln in lines))
               for path, (lines, data) in files.items()]
    total = sum(f.total for f in records)
    if total != sign(plan.kind) * plan.stored.allocation.total:
        raise InputError("Filernes beløb summer ikke til fordelingens total; intet er skrevet.")
    staging = atomic.stage({path: data for path, (_, data) in files.items()},
                           protected=outputs.protected(store))
    export_id = log_then_place(store, staging, lambda: erp.log_export(
        store, secretariat_id=plan.secretariat.id, year=plan.year, kind=plan.kind.value,
        allocation_id=plan.stored.id, what=what, profile=plan.profile.name, total=total,
        rows=len(plan.lines), files=records))
    return ExportResult(list(files), total, len(plan.lines), export_id, warning)


def log_then_place(store: Store, staging: atomic.Staging, log: Callable[[], int]) -> int:
    """Record the staged files in the export log (committed), then put them in place.

    See the module docstring for why this order: a file is never in place without its row.
    """
    names = ", ".join(str(t) for t in staging.targets[:3]) + (
        f" og {len(staging.targets) - 3} filer mere" if len(staging.targets) > 3 else "")
    try:
        export_id = log()  # its own transaction: committed when this returns
    except BaseException as exc:
        staging.discard()
        if not isinstance(exc, Exception):
            raise
        why = exc.message if isinstance(exc, KkrError) else str(exc)
        raise StoreError(f"Eksporten kunne ikke skrives i eksportloggen, så ingen fil er lagt "
                         f"på plads ({names}); intet er eksporteret. Prøv igen. Årsag: {why}"
                         ) from exc
    try:
        staging.place()
    except BaseException as exc:
        try:
            erp.withdraw_export(store, export_id, "Filen kunne ikke lægges på plads: "
                                + (exc.message if isinstance(exc, KkrError) else str(exc)))
        except Exception as forget_exc:
            said = (f"Filen kunne ikke lægges på plads ({names}), og eksporten kunne ikke "
                    f"fjernes fra eksportloggen igen ({forget_exc}). Loggen siger altså, at "
                    "den er eksporteret, men der er ingen fil, så intet er sendt til "
                    "kommunerne. Eksportér igen ")
            raise refusal(StoreError, window=said + "og svar ja til at eksportere igen.",
                          cli=said + "med --again.") from exc
        if not isinstance(exc, Exception):
            raise
        undone = (" Ingen fil er skrevet, og eksporten er markeret som trukket tilbage i "
                  "eksportloggen (den tæller ikke som eksporteret).")
        if isinstance(exc, InputError):
            raise InputError(exc.message + undone) from exc
        why = exc.message if isinstance(exc, KkrError) else (
            getattr(exc, "strerror", None) or str(exc))
        raise StoreError(f"Filen kunne ikke lægges på plads ({names}): {why}.{undone}"
                         ) from exc
    return export_id
