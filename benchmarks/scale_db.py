"""The scale database of the benchmark, made through the program's own services and store:
all five KKR with 10 secretariats each, 20 years of 30 lines, 80 quarters of population for
all 98 kommuner, PL rates, the members' ERP fields and a saved contribution allocation for
every secretariat in the last year.

    python benchmarks/scale_db.py PATH      # make it (about a minute)
"""

from __future__ import annotations

import importlib.util
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("kkr_desktop") is None and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # not installed: the source tree

VERSION = 1  # bump when what is generated changes (the cached file is then remade)
SECRETARIATS_PER_KKR = 10
FIRST_YEAR, YEARS = 2005, 20
LINES = 30
QUARTERS = 80  # 2005K1 … 2024K4
LAST_YEAR = FIRST_YEAR + YEARS - 1
EXPENSES = ["Løn", "Husleje", "IT, tele, licenser og abonnementer",
            "HR, intern service og økonomiopfølgning", "Administrationsudgifter og kontorhold",
            "Mødeafholdelse", "Transport, kørsel og parkering",
            "Kurser, konferencer og efteruddannelse", "Indkøb af IT-udstyr", "Revision",
            "Konsulentbistand", "Analyser og udredninger", "Kommunikation", "Forsikringer",
            "Porto og forsendelse", "Tryksager", "Abonnementer", "Rejser",
            "Repræsentation", "Juridisk bistand", "Rengøring", "Kantine", "Inventar",
            "Projektmidler", "Netværksmøder", "Temadage", "Evaluering", "Pulje til "
            "uforudsete udgifter"]
assert len(EXPENSES) == LINES - 2


def statement_file(name: str, rng: random.Random):
    """20 years of 30 lines: the contribution and the carried-over surplus as income, 28
    expenses; each budget balances, the accounts differ a little."""
    from kkr_desktop.core.statement import Kind, Role, YearLine
    from kkr_desktop.formats.interchange import StatementFile

    data = StatementFile()
    base = [rng.randrange(10_000, 1_500_000) * 100 for _ in EXPENSES]
    for i in range(YEARS):
        year = FIRST_YEAR + i
        growth = Decimal("1.025") ** i
        budgets = [int(Decimal(b) * growth) // 100 * 100 for b in base]
        actuals = [b * rng.randrange(80, 115) // 100 // 100 * 100 for b in budgets]
        carried = sum(budgets) // 20 // 100 * 100
        contribution = sum(budgets) - carried
        actual_contribution = contribution + rng.randrange(0, 2_000_000)
        lines = [
            YearLine("Indkrævet hos kommunerne", Kind.INCOME, Role.CONTRIBUTION, contribution,
                     actual_contribution if year < LAST_YEAR else None),
            YearLine("Overført overskud", Kind.INCOME, Role.CARRIED_OVER, carried,
                     carried if year < LAST_YEAR else None),
        ]
        for j, post in enumerate(EXPENSES):
            note = "Stigningen skyldes nye opgaver." if j == 0 and i % 3 == 0 else ""
            lines.append(YearLine(post, Kind.EXPENSE, Role.NONE, budgets[j],
                                  actuals[j] if year < LAST_YEAR else None, budget_note=note))
        data.years[(name, year)] = lines
    return data


def population(codes: list[int], rng: random.Random) -> dict[tuple[int, str], int]:
    values = {}
    for code in codes:
        people = rng.randrange(1_800, 650_000)
        for q in range(QUARTERS):
            quarter = f"{FIRST_YEAR + q // 4}K{q % 4 + 1}"
            values[(code, quarter)] = people + rng.randrange(-200, 400) * q // 4
    return values


def cvr(n: int) -> str:
    """A made-up CVR number for kommune n that passes the register's modulus-11 check."""
    base = 2_900_000 + n * 37
    while True:
        head = f"{base:07d}"
        rest = sum(int(d) * w for d, w in zip(head, (2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        if rest != 1:  # the check digit (weight 1) would have to be 10
            return head + str((11 - rest) % 11)
        base += 1


def generate(path: Path, *, seed: int = 7, say=print) -> Path:
    """Make the database at `path` (replacing one that is there)."""
    from kkr_desktop.core.allocation import AllocationKind
    from kkr_desktop.core.erp import MemberErp
    from kkr_desktop.core.ids import make_ean
    from kkr_desktop.services import allocation, members, rates
    from kkr_desktop.services.statements import import_statement_data
    from kkr_desktop.store import population as population_store
    from kkr_desktop.store import reference, secretariats
    from kkr_desktop.store.db import open_store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    store = open_store(path)
    try:
        kommuner = reference.kommuner(store)
        population_store.put(store, population([k.code for k in kommuner], rng),
                             "Benchmark (genereret)")
        for year in range(FIRST_YEAR + 1, LAST_YEAR + 1):
            rates.set_pl_rate(store, year, expected=Decimal(rng.randrange(15, 45)) / 10,
                              final=Decimal(rng.randrange(10, 50)) / 10,
                              source="Benchmark (genereret)")
        for kkr in reference.kkr_names(store):
            for n in range(SECRETARIATS_PER_KKR):
                name = f"Sekretariat {n + 1:02d} i KKR {kkr}"
                import_statement_data(store, statement_file(name, rng), kkr=kkr,
                                      source="benchmark")
        for sec in secretariats.all_secretariats(store):
            fields = [MemberErp(m.kommunekode, m.kommune, cvr(m.kommunekode),
                                make_ean(f"5798000{m.kommunekode:03d}{sec.id:02d}"),
                                f"6.45.51.{m.kommunekode:03d}.1.4")
                      for m in secretariats.members(store, sec.id)]
            members.set_member_fields(store, sec.id, fields)
            result = allocation.compute(store, sec, LAST_YEAR,
                                        kind=AllocationKind.CONTRIBUTION)
            allocation.save(store, sec, LAST_YEAR, result.allocation)
    finally:
        store.close()
    say(f"Skaladatabase lavet på {time.perf_counter() - t0:.1f} s: {path} "
        f"({path.stat().st_size / 1e6:.1f} MB)")
    return path


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    generate(Path(sys.argv[1]))
