"""A KKR's PostgreSQL server: its roles, its database, its migrations and the officers' grants.

Two group roles (NOLOGIN) per KKR database, made by `init_server` and named after it, so an
officer of one KKR's database has no access to another's on the same server:

- the owner (owner_role: «kkr_owner» for the database «kkr») owns the database, the schema,
  every table and trigger function. Only it runs migrations, and only it can ALTER or DROP a
  table or a trigger.
- the officers' group (officer_role: «kkr_officer»). Each officer logs in with their own
  role, a member of the group and never of the owner. The group may read everything and
  change what the program changes, but the audit and export logs and the approvals'
  evidence only grow: see grant_officer. It holds no TRUNCATE, REFERENCES or TRIGGER
  privilege anywhere.

The triggers of db/migrations_pg guard frozen rows as on SQLite; the grants keep an officer
from removing those triggers or rewriting the logs by plain SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from kkr_desktop.store import pg
from kkr_desktop.store.credentials import ServerAddress, ServerError, connect, parse
from kkr_desktop.store.pg import (  # noqa: F401 (the server's schema, as the commands ask)
    latest_version,
    pg_migrations,
    require_current_schema,
    schema_version,
)

SCHEMA = "public"
_ROLE_BYTES = 63  # PostgreSQL's longest name
VERSION_TABLE = "kkr_schema"  # one row per applied migration: version integer

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
    owner: str = ""  # the database's owner role and officers' group
    officer: str = ""
    roles_created: list[str] = field(default_factory=list)
    roles_existing: list[str] = field(default_factory=list)
    officers_created: list[str] = field(default_factory=list)
    officers_existing: list[str] = field(default_factory=list)
    database_created: bool = False
    version_before: int = 0
    version_after: int = 0
    tables_granted: int = 0


# --- migrations (store/pg.py runs them; here: before and after, for the report) ----------

def apply_migrations(conn) -> tuple[int, int]:
    """Apply db/migrations_pg's files the database lacks (store/pg.py migrate); (version
    before, version after). `conn` already acts as the owner role."""
    before = schema_version(conn)
    pg.migrate(conn)
    return before, schema_version(conn)


def owner_role(database: str) -> str:
    """The owner role of a KKR's database: «kkr_owner» for «kkr»."""
    return _role(database, "owner")


def officer_role(database: str) -> str:
    """The officers' group of a KKR's database: «kkr_officer» for «kkr»."""
    return _role(database, "officer")


def _role(database: str, kind: str) -> str:
    name = f"{database}_{kind}"
    if len(name.encode("utf-8")) > _ROLE_BYTES:
        raise ServerError(f"Databasenavnet «{database}» er for langt: rollen «{name}» må "
                          f"højst fylde {_ROLE_BYTES} bytes. Vælg et kortere navn.")
    return name


# --- grants --------------------------------------------------------------------------------

def grant_officer(conn) -> int:
    """Give the database's officers' group exactly what the program needs on every table of
    the schema, whatever it had before: run after every migration (new tables are covered,
    widened grants are narrowed). `conn` acts as the owner role or a superuser. Returns the
    number of tables."""
    from psycopg import sql

    database = conn.execute("SELECT current_database()").fetchone()[0]
    officer = sql.Identifier(officer_role(database))
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
    report = ServerReport(server=address.server, database=database,
                          owner=owner_role(database), officer=officer_role(database))
    owner, officer = report.owner, report.officer
    with _admin(address, admin_url, password, None) as conn:
        with _step(address, "oprette rollerne"):
            for role in (owner, officer):
                made = _ensure_role(conn, role, login=False)
                (report.roles_created if made else report.roles_existing).append(role)
            if not _is_superuser(conn):  # SET ROLE and owner need membership
                conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(owner)))
            for name, secret in officers.items():
                made = _ensure_role(conn, name, login=True, password=secret)
                conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(officer),
                                                              sql.Identifier(name)))
                if _is_member(conn, name, owner):
                    conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(owner),
                                                                     sql.Identifier(name)))
                (report.officers_created if made else report.officers_existing).append(name)
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (database,)).fetchone()
        if exists:
            _require_kkr_database(address, admin_url, password, database)
        with _step(address, f"oprette databasen «{database}»"):
            statement = "ALTER DATABASE {} OWNER TO {}" if exists else \
                "CREATE DATABASE {} OWNER {}"
            conn.execute(sql.SQL(statement).format(sql.Identifier(database),
                                                   sql.Identifier(owner)))
            report.database_created = not exists
            conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(
                sql.Identifier(database)))
            conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(officer)))
    _migrate_and_grant(address, admin_url, password, database, report)
    return report


def migrate_server(url: str, *, password: str | None = None) -> ServerReport:
    """Bring the database named in `url` up to the program's schema and renew the officers'
    grants, as its owner (a superuser or a member of the owner role)."""
    address, _ = parse(url)
    report = ServerReport(server=address.server, database=address.database,
                          owner=owner_role(address.database),
                          officer=officer_role(address.database))
    _migrate_and_grant(address, url, password, address.database, report)
    return report


def _migrate_and_grant(address: ServerAddress, url: str, password: str | None,
                       database: str, report: ServerReport) -> None:
    from psycopg import sql

    owner, officer = report.owner, report.officer
    with _admin(address, url, password, database) as conn:
        with _step(address, f"skifte til ejerrollen {owner} i databasen «{database}»"):
            if _is_superuser(conn):  # owned by pg_database_owner (15+) or the bootstrap role
                conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(
                    sql.Identifier(SCHEMA), sql.Identifier(owner)))
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
        with _step(address, f"opdatere skemaet i databasen «{database}»"):
            report.version_before, report.version_after = apply_migrations(conn)
        with _step(address, f"give {officer} rettigheder i databasen «{database}»"):
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


def _require_kkr_database(address: ServerAddress, url: str, password: str | None,
                          database: str) -> None:
    """An existing database is taken over only if it is a KKR's (it has the program's
    schema) or empty: never another program's, whose owner and access would be changed."""
    with _admin(address, url, password, database) as conn:
        ours = conn.execute("SELECT to_regclass('public.kkr_schema')").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                              "('pg_catalog', 'information_schema')").fetchone()[0]
    if ours is None and tables:
        raise ServerError(
            f"Databasen «{database}» findes allerede på {address.server} og holder "
            f"{tables} {'tabel' if tables == 1 else 'tabeller'}, som ikke er KKR Budget og "
            "Regnskabs. Intet er ændret; vælg et andet navn med --database.")


def _ensure_role(conn, name: str, *, login: bool, password: str | None = None) -> bool:
    """Create role `name` if missing (True), else bring its LOGIN and password in line."""
    from psycopg import sql

    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    options = sql.SQL("LOGIN" if login else "NOLOGIN")
    if password is not None:
        # sent as its SCRAM verifier (as psql's \password does): the password itself never
        # reaches the server's log, whatever its statement logging
        verifier = conn.pgconn.encrypt_password(password.encode("utf-8"),
                                                name.encode("utf-8"), b"scram-sha-256")
        options = sql.SQL("{} PASSWORD {}").format(options,
                                                   sql.Literal(verifier.decode("ascii")))
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
