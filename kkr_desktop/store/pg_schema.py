"""The guard triggers and functions the PostgreSQL migrations (db/migrations_pg) define, and
what a live PostgreSQL database differs from them (drift): the tamper check's PostgreSQL half.

Pure helpers: the expectations are read from the migration files; drift() only reads the
catalogue through the connection it is given (a psycopg connection, not imported here)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from kkr_desktop.paths import pg_migrations_dir

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_STATEMENT = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(?P<fn>\w+)\s*\((?P<args>[^)]*)\)[^$]*?AS\s+\$\$"
    r"(?P<body>.*?)\$\$"
    r"|CREATE\s+TRIGGER\s+(?P<trg>\w+)\s+(?P<when>BEFORE|AFTER|INSTEAD\s+OF)\s+"
    r"(?P<events>\w+(?:\s+OR\s+\w+)*)\s+ON\s+(?P<tbl>\w+)\s+(?P<rest>.*?);"
    r"|DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(?P<dtrg>\w+)\s+ON\s+\w+\s*;"
    r"|DROP\s+FUNCTION\s+(?:IF\s+EXISTS\s+)?(?P<dfn>\w+)",
    re.S | re.I)
_COMMENT = re.compile(r"--[^\n]*")
_EXECUTES = re.compile(r"EXECUTE\s+(?:FUNCTION|PROCEDURE)\s+(\w+)\s*\(", re.I)
_QUALIFIED = re.compile(r"\b(ON|FUNCTION|PROCEDURE)\s+(?:\"?\w+\"?\.)", re.I)


def _migrations(directory: Path | None = None) -> list[tuple[int, Path]]:
    found = []
    for path in sorted((directory or pg_migrations_dir()).iterdir()):
        m = _MIGRATION.match(path.name)
        if m:
            found.append((int(m[1]), path))
    return found


def _strip_comments(sql: str) -> str:
    """Line comments out, except inside $$ bodies (kept byte for byte: prosrc holds them)."""
    parts = sql.split("$$")
    return "$$".join(p if i % 2 else _COMMENT.sub("", p) for i, p in enumerate(parts))


def _normal(sql: str) -> str:
    return " ".join(_QUALIFIED.sub(r"\1 ", sql).split()).rstrip(";").strip()


@lru_cache(maxsize=16)
def _schema(version: int | None, directory: Path | None = None
            ) -> tuple[dict[str, tuple[str, str, str]], dict[str, tuple[str, str]]]:
    """(trigger name → (table, function, normalised definition), function name → (its
    arguments, its body)) as the migrations up to `version` (all when None) leave them."""
    triggers: dict[str, tuple[str, str, str]] = {}
    functions: dict[str, tuple[str, str]] = {}
    for number, path in _migrations(directory):
        if version is not None and number > version:
            break
        for m in _STATEMENT.finditer(_strip_comments(path.read_text(encoding="utf-8"))):
            if m["fn"]:
                functions[m["fn"]] = (" ".join(m["args"].lower().split()), m["body"])
            elif m["trg"]:
                fn = _EXECUTES.search(m["rest"])
                triggers[m["trg"]] = (m["tbl"], fn[1] if fn else "", _normal(m[0]))
            elif m["dtrg"]:
                triggers.pop(m["dtrg"], None)
            else:
                functions.pop(m["dfn"], None)
    return triggers, functions


def expected_triggers(version: int | None = None) -> dict[str, str]:
    """Every trigger the PostgreSQL migrations (up to `version`) leave: name → table."""
    return {name: t[0] for name, t in _schema(version)[0].items()}


def expected_functions(version: int | None = None) -> dict[str, str]:
    """Every function the PostgreSQL migrations (up to `version`) leave: name → its body,
    the text between the $$ quotes, as pg_proc.prosrc keeps it."""
    return {name: f[1] for name, f in _schema(version)[1].items()}


def _users(triggers: dict[str, tuple[str, str, str]], fn: str) -> str:
    uses = [f"«{name}» på tabellen {t[0]}" for name, t in sorted(triggers.items())
            if t[1] == fn]
    if not uses:
        return f"Funktionen «{fn}», som beskyttelserne bruger,"
    if len(uses) == 1:
        return f"Funktionen «{fn}» bag beskyttelsen {uses[0]}"
    return f"Funktionen «{fn}» bag beskyttelserne {', '.join(uses[:-1])} og {uses[-1]}"


def drift(conn: Any, version: int | None = None) -> list[str]:
    """What the database (a psycopg connection) differs from the migrations, in Danish: a
    trigger missing, disabled, or defined otherwise (another table, timing or function), a
    trigger no migration made on a table they made, a function missing or with another
    body. [] when the guards are as the migrations made them."""
    triggers, functions = _schema(version)
    tables = {t[0] for t in triggers.values()}
    rows = conn.execute(
        "SELECT t.tgname, c.relname, t.tgenabled, pg_get_triggerdef(t.oid) "
        "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT t.tgisinternal AND n.nspname = current_schema()").fetchall()
    found = {r[0]: (r[1], str(r[2]), r[3]) for r in rows}
    problems: list[str] = []
    for name, (table, _fn, definition) in sorted(triggers.items()):
        have = found.get(name)
        if have is None:
            problems.append(f"Beskyttelsen «{name}» på tabellen {table} mangler.")
        elif have[0] != table or _normal(have[2]) != definition:
            problems.append(f"Beskyttelsen «{name}» på tabellen {table} er ændret "
                            f"(den er nu: {have[2]}).")
        elif have[1] not in ("O", "A"):  # D: disabled; R: fires only in replica sessions
            problems.append(f"Beskyttelsen «{name}» på tabellen {table} er slået fra.")
    for name, (table, _enabled, _definition) in sorted(found.items()):
        if name not in triggers and table in tables:
            problems.append(f"Tabellen {table} har en trigger, som ingen opdatering af "
                            f"databasen har oprettet: «{name}».")
    bodies = {(r[0], r[1]): r[2] for r in conn.execute(
        "SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prosrc FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema() AND p.proname = ANY(%s)",
        (list(functions),)).fetchall()}
    for fn, (arguments, body) in sorted(functions.items()):
        if (fn, arguments) not in bodies:
            problems.append(f"{_users(triggers, fn)} mangler.")
        elif bodies[fn, arguments] != body:
            problems.append(f"{_users(triggers, fn)} er ændret.")
    return problems
