"""Which database the program works on: a file, or a KKR's PostgreSQL server.

The window's Indstillinger → Database and the command line's `--db` and `server` commands
share these functions. A server is a URL without a password (see store/credentials.py for
where the password comes from); nothing here saves a password anywhere but the keyring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kkr_desktop.store import credentials, server
from kkr_desktop.store.credentials import (
    ServerAddress,
    ServerError,
    is_server_url,
    masked,
)

if TYPE_CHECKING:
    from kkr_desktop.store.db import Store

__all__ = ["ServerAddress", "ServerError", "is_server_url", "masked", "db_location",
           "server_url", "address_of", "open_server", "with_password", "check_connection",
           "remember_password",
           "forget_password", "has_saved_password", "init_server", "migrate_server"]


def db_location(text: str) -> Path | str:
    """`--db`'s value: a server URL stays a string (a Path would fold its //), anything
    else is a file name."""
    return text.strip() if is_server_url(text) else Path(text)


def server_url(*, host: str, port: int, database: str, user: str) -> str:
    """The URL saved in the settings for these fields (never with a password)."""
    return ServerAddress(user.strip(), host.strip(), int(port), database.strip()).url()


def address_of(url: str) -> ServerAddress:
    return credentials.parse(url)[0]


def open_server(url: str) -> Store:
    """Open the KKR's database on the server at `url`: no lock file, no file checks; the
    server runs the transactions. The password as store/credentials.py finds it."""
    from kkr_desktop.store import db

    credentials.parse(url)  # a bad URL is said before anything is tried
    return db.open_store(url)


def check_connection(url: str, password: str | None = None) -> str:
    """Connect to `url` and say in Danish as whom, on which server and schema version; a
    ServerError says what failed."""
    address = address_of(url)
    OWNER, OFFICER = server.owner_role(address.database), server.officer_role(  # noqa: N806
        address.database)
    conn = credentials.connect(url, password=password, autocommit=True)
    try:
        if _roles_exist(conn, OWNER, OFFICER):
            user, version, officer, owner = conn.execute(
                "SELECT current_user, current_setting('server_version'), pg_has_role("
                "current_user, %s, 'MEMBER'), pg_has_role(current_user, %s, 'MEMBER')",
                (OFFICER, OWNER)).fetchone()
        else:
            user, version = conn.execute(
                "SELECT current_user, current_setting('server_version')").fetchone()
            officer = owner = False
        superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                                 ).fetchone()[0]
        schema = server.schema_version(conn)
    finally:
        conn.close()
    role = ("superbruger (kan alt, også køre «server init» og «server migrate»)" if superuser
            else f"ejer ({OWNER})" if owner else f"medarbejder ({OFFICER})" if officer
            else f"hverken medarbejder ({OFFICER}) eller ejer ({OWNER})")
    text = (f"Forbundet til PostgreSQL {version.split()[0]} på {address.server}, database "
            f"«{address.database}», som «{user}»: {role}. Skemaversion {schema} "
            f"(programmet: {server.latest_version()}).")
    if not (owner or officer or superuser):
        text += (" Serverens administrator kan gøre brugeren til medarbejder med «kkr-desktop "
                 f"server init … --officer {user}».")
    return text


def _roles_exist(conn, owner: str, officer: str) -> bool:
    return conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)",
                        ([owner, officer],)).fetchone()[0] == 2


def with_password(url: str, password: str) -> str:
    """The URL to open once with a password the user typed (never saved: the settings keep
    the URL without it, the keyring the password if the user asked)."""
    return credentials.with_password(url, password)


def remember_password(url: str, password: str) -> None:
    credentials.save_password(address_of(url), password)


def has_saved_password(url: str) -> bool:
    return credentials.keyring_password(address_of(url)) is not None


def forget_password(url: str) -> None:
    credentials.forget_password(address_of(url))


def init_server(admin_url: str, *, database: str = "kkr",
                officers: Mapping[str, str | None] | Iterable[str] = (),
                password: str | None = None) -> server.ServerReport:
    return server.init_server(admin_url, database=database, officers=officers,
                              password=password)


def migrate_server(url: str, *, password: str | None = None) -> server.ServerReport:
    return server.migrate_server(url, password=password)
