"""A KKR's PostgreSQL server: its roles, its database, its migrations and the officers' grants.

Two group roles (NOLOGIN), made once per server by `init_server`:

- OWNER (kkr_owner) owns the database, the schema, every table and trigger function. Only it
  runs migrations, and only it can ALTER or DROP a table or a trigger.
- OFFICER (kkr_officer) is the officers' group. Each officer logs in with their own role, a
  member of OFFICER and never of OWNER. The group may read everything and change what the
  program changes, but the audit and export logs and the approvals' evidence only grow:
  see grant_officer. It holds no TRUNCATE, REFERENCES or TRIGGER privilege anywhere.

The triggers of db/migrations_pg guard frozen rows as on SQLite; the grants keep an officer
from removing those triggers or rewriting the logs by plain SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kkr_desktop.core.errors import StoreError
from kkr_desktop.paths import pg_migrations_dir
from kkr_desktop.store.credentials import ServerAddress, ServerError, connect, parse

OWNER = "kkr_owner"
OFFICER = "kkr_officer"
SCHEMA = "public"
VERSION_TABLE = "kkr_schema"  # one row per applied migration: version integer
_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

# Evidence: officers add rows and never change or remove one (the program only inserts them).
APPEND_ONLY = frozenset({
    "audit_log", "export_log", "export_file", "export_withdrawn",
    "approval", "approval_signatory", "approval_allocation",
    "agenda_approval", "agenda_approval_member",
    "allocation", "allocation_row", "payment", "revision_reason",
})
# The one change an append-only row allows: «Ny revision» marks an approval superseded.
UPDATE_COLUMNS = {"approval": ("superseded_at", "superseded_by")}
# Upserted by the program (the audit chain's bookmark): insert and update, never delete.
UPSERTED = frozenset({"audit_checkpoint"})
# Written by migrations only.
READ_ONLY = frozenset({VERSION_TABLE})


@dataclass
class ServerReport:
    """What init_server or migrate_server did, for the command to say."""

    server: str
    database: str
    roles_created: list[str] = field(default_factory=list)
    roles_existing: list[str] = field(default_factory=list)
    officers_created: list[str] = field(default_factory=list)
    officers_existing: list[str] = field(default_factory=list)
    database_created: bool = False
    version_before: int = 0
    version_after: int = 0
    tables_granted: int = 0


# --- migrations ----------------------------------------------------------------------------

def pg_migrations() -> list[tuple[int, Path]]:
    """db/migrations_pg's files, numbered 1, 2, 3, … without a gap."""
    folder = pg_migrations_dir()
    found = sorted((int(m[1]), p) for p in (folder.iterdir() if folder.is_dir() else ())
                   if (m := _MIGRATION.match(p.name)))
    numbers = [n for n, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"PostgreSQL-migrationerne i {folder} er ikke nummereret 1, 2, 3, …: "
                         f"{numbers}")
    return found


def latest_version() -> int:
    found = pg_migrations()
    return found[-1][0] if found else 0


def schema_version(conn) -> int:
    """The newest migration applied to the database on `conn` (0: none, or no version
    table yet)."""
    row = conn.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.{VERSION_TABLE}",)).fetchone()
    if row[0] is None:
        return 0
    return conn.execute(f"SELECT coalesce(max(version), 0) FROM {SCHEMA}.{VERSION_TABLE}"
                        ).fetchone()[0]


def apply_migrations(conn) -> tuple[int, int]:
    """Apply db/migrations_pg's files the database lacks, in order, each in its own
    transaction with its row in kkr_schema; (version before, version after). `conn` is in
    autocommit mode and already acts as OWNER. Used until store.db.migrate_pg exists."""
    with conn.transaction():
        conn.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.{VERSION_TABLE} "
                     "(version integer PRIMARY KEY, applied_at timestamptz NOT NULL "
                     "DEFAULT now(), applied_by text NOT NULL DEFAULT session_user)")
    before = schema_version(conn)
    version = before
    for number, path in pg_migrations():
        if number <= before:
            continue
        with conn.transaction():
            conn.execute(path.read_text(encoding="utf-8"))
            conn.execute(f"INSERT INTO {SCHEMA}.{VERSION_TABLE} (version) VALUES (%s)",
                         (number,))
        version = number
    return before, version


def _migrate(conn) -> tuple[int, int]:
    from kkr_desktop.store import db

    migrate_pg = getattr(db, "migrate_pg", None)
    if migrate_pg is None:
        return apply_migrations(conn)
    before = schema_version(conn)
    migrate_pg(conn)
    return before, schema_version(conn)


def require_current_schema(conn) -> None:
    """Refuse to work on a database whose schema is not the program's: older (the server's
    administrator must migrate it; an officer cannot) or newer (the program is too old)."""
    have, want = schema_version(conn), latest_version()
    where = f"Databasen «{conn.info.dbname}» på PostgreSQL-serveren {conn.info.host}:" \
            f"{conn.info.port}"
    if have < want:
        raise StoreError(
            f"{where} har skemaversion {have}, men programmet kræver version {want}. "
            "Serverens administrator skal opdatere den med «kkr-desktop server migrate "
            "postgresql://…» (en ny database: «kkr-desktop server init postgresql://…»); "
            "en medarbejder kan ikke selv gøre det.")
    if have > want:
        raise StoreError(f"{where} har skemaversion {have}, som er nyere end programmets "
                         f"({want}). Installér den nyeste version af programmet.")


# --- grants --------------------------------------------------------------------------------

def grant_officer(conn) -> int:
    """Give OFFICER exactly what the program needs on every table of the schema, whatever
    it had before: run after every migration (new tables are covered, widened grants are
    narrowed). `conn` acts as OWNER or a superuser. Returns the number of tables."""
    from psycopg import sql

    officer = sql.Identifier(OFFICER)
    schema = sql.Identifier(SCHEMA)
    with conn.transaction():
        tables = [r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v') ORDER BY c.relname",
            (SCHEMA,))]
        for statement in (
            "REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {o}, PUBLIC",
            "REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {o}, PUBLIC",
            "REVOKE CREATE ON SCHEMA {s} FROM {o}, PUBLIC",
            "GRANT USAGE ON SCHEMA {s} TO {o}",
            "GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {o}",
            "GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {o}",
        ):
            conn.execute(sql.SQL(statement).format(s=schema, o=officer))
        for table in tables:
            name = sql.Identifier(SCHEMA, table)
            if table in READ_ONLY:
                continue
            if table in APPEND_ONLY:
                conn.execute(sql.SQL("GRANT INSERT ON {} TO {}").format(name, officer))
                columns = UPDATE_COLUMNS.get(table)
                if columns:
                    conn.execute(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                        sql.SQL(", ").join(map(sql.Identifier, columns)), name, officer))
            elif table in UPSERTED:
                conn.execute(sql.SQL("GRANT INSERT, UPDATE ON {} TO {}").format(name, officer))
            else:
                conn.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
                    name, officer))
    return len(tables)


# --- init and migrate ----------------------------------------------------------------------

def init_server(admin_url: str, *, database: str = "kkr",
                officers: Mapping[str, str | None] | Iterable[str] = (),
                password: str | None = None) -> ServerReport:
    """Make (or bring up to date) a KKR's database on the server at `admin_url`, as a
    superuser or a role with CREATEROLE and CREATEDB (`password`: the admin's, if not in the
    URL, keyring or pgpass file). Idempotent: what exists is kept. `officers`: login names,
    or name → password (None: the administrator sets it, or the server uses another auth)."""
    from psycopg import sql

    address, _ = parse(admin_url)
    officers = dict(officers) if isinstance(officers, Mapping) else dict.fromkeys(officers)
    report = ServerReport(server=address.server, database=database)
    with _admin(address, admin_url, password, None) as conn:
        with _step(address, "oprette rollerne"):
            for role in (OWNER, OFFICER):
                made = _ensure_role(conn, role, login=False)
                (report.roles_created if made else report.roles_existing).append(role)
            if not _is_superuser(conn):  # SET ROLE and OWNER need membership
                conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(OWNER)))
            for name, secret in officers.items():
                made = _ensure_role(conn, name, login=True, password=secret)
                conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(OFFICER),
                                                              sql.Identifier(name)))
                if _is_member(conn, name, OWNER):
                    conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(OWNER),
                                                                     sql.Identifier(name)))
                (report.officers_created if made else report.officers_existing).append(name)
        with _step(address, f"oprette databasen «{database}»"):
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (database,)).fetchone()
            statement = "ALTER DATABASE {} OWNER TO {}" if exists else \
                "CREATE DATABASE {} OWNER {}"
            conn.execute(sql.SQL(statement).format(sql.Identifier(database),
                                                   sql.Identifier(OWNER)))
            report.database_created = not exists
            conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(
                sql.Identifier(database)))
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(OFFICER)))
    _migrate_and_grant(address, admin_url, password, database, report)
    return report


def migrate_server(url: str, *, password: str | None = None) -> ServerReport:
    """Bring the database named in `url` up to the program's schema and renew the officers'
    grants, as its owner (a superuser or a member of OWNER)."""
    address, _ = parse(url)
    report = ServerReport(server=address.server, database=address.database)
    _migrate_and_grant(address, url, password, address.database, report)
    return report


def _migrate_and_grant(address: ServerAddress, url: str, password: str | None,
                       database: str, report: ServerReport) -> None:
    from psycopg import sql

    with _admin(address, url, password, database) as conn:
        with _step(address, f"skifte til ejerrollen {OWNER} i databasen «{database}»"):
            if _is_superuser(conn):  # owned by pg_database_owner (15+) or the bootstrap role
                conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(
                    sql.Identifier(SCHEMA), sql.Identifier(OWNER)))
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(OWNER)))
        with _step(address, f"opdatere skemaet i databasen «{database}»"):
            report.version_before, report.version_after = _migrate(conn)
        with _step(address, f"give {OFFICER} rettigheder i databasen «{database}»"):
            report.tables_granted = grant_officer(conn)


# --- helpers -------------------------------------------------------------------------------

@contextmanager
def _admin(address: ServerAddress, url: str, password: str | None,
           database: str | None) -> Iterator:
    if database is not None:
        url = _with_database(url, database)
    conn = connect(url, password=password, autocommit=True)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def _step(address: ServerAddress, what: str) -> Iterator[None]:
    import psycopg

    try:
        yield
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ServerError(
            f"Brugeren «{address.user}» har ikke lov til at {what} på PostgreSQL-serveren "
            f"{address.server}: {_reason(exc)}. Kør kommandoen som en superbruger (fx "
            "postgres) eller en rolle med CREATEROLE og CREATEDB.") from exc
    except psycopg.Error as exc:
        raise ServerError(f"Det lykkedes ikke at {what} på PostgreSQL-serveren "
                         f"{address.server}: {_reason(exc)}. Intet i det trin er gemt."
                         ) from exc


def _reason(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _with_database(url: str, database: str) -> str:
    from urllib.parse import quote, urlsplit, urlunsplit

    return urlunsplit(urlsplit(url.strip())._replace(path="/" + quote(database, safe="")))


def _ensure_role(conn, name: str, *, login: bool, password: str | None = None) -> bool:
    """Create role `name` if missing (True), else bring its LOGIN and password in line."""
    from psycopg import sql

    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    options = sql.SQL("LOGIN" if login else "NOLOGIN")
    if password is not None:
        options = sql.SQL("{} PASSWORD {}").format(options, sql.Literal(password))
    verb = "ALTER ROLE {} {}" if exists else "CREATE ROLE {} {}"
    conn.execute(sql.SQL(verb).format(sql.Identifier(name), options))
    return not exists


def _is_superuser(conn) -> bool:
    return bool(conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = session_user"
                             ).fetchone()[0])


def _is_member(conn, member: str, group: str) -> bool:
    return bool(conn.execute(
        "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles r ON r.oid = m.member WHERE g.rolname = %s AND r.rolname = %s",
        (group, member)).fetchone())
