"""Reaching a PostgreSQL server: the address, the password, the connection, and the errors.

A server is named by a URL, `postgresql://user@host:port/database`. The password is never
saved with it. It is looked up in this order:

1. the URL itself (typed on the command line; used for that run only, never saved);
2. the OS keyring (Windows' legitimationsadministrator), service KEYRING_SERVICE, user name
   `user@host:port/database`; a machine without a keyring backend just falls through;
3. libpq's own password file: PGPASSFILE, else ~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf
   on Windows). libpq reads it by itself when no password is passed, so nothing is done here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kkr_desktop.core.errors import InputError, StoreError

KEYRING_SERVICE = "KKR Budget og Regnskab"
APPLICATION_NAME = "KKR Budget og Regnskab"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT = 10  # seconds: an address that does not answer is said, not waited on
_SCHEMES = ("postgresql://", "postgres://")


class ServerError(StoreError):
    """The server cannot be reached, refuses the login, or refuses what was asked. The user
    can put it right (address, password, role), so the command line exits with 2.
    `needs_password`: no password was found, or the one given was refused (the window then
    asks for one)."""

    exit_code = 2
    needs_password = False


def is_server_url(value: object) -> bool:
    """True for a PostgreSQL URL (a str that begins postgresql:// or postgres://)."""
    return isinstance(value, str) and value.strip().lower().startswith(_SCHEMES)


def masked(url: str) -> str:
    """The URL as it may be shown: any password replaced by ***, also one holding «/», «#»
    or «?» (the user part ends at the last «@») and one given as ?password=…."""
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        return text
    at = rest.rfind("@")
    if at >= 0:
        userinfo, host = rest[:at], rest[at + 1:]
        user, colon, _ = userinfo.partition(":")
        rest = f"{user}:***@{host}" if colon else f"{user}@{host}"
    rest = re.sub(r"(?i)(\bpassword=)[^&]*", r"\1***", rest)
    return f"{scheme}://{rest}"


@dataclass(frozen=True)
class ServerAddress:
    """Where a KKR's database is, without the password."""

    user: str
    host: str
    port: int
    database: str

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def keyring_user(self) -> str:
        """The keyring entry's user name: `user@host:port/database`."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self) -> str:
        """The URL without a password: what the settings save and the program shows."""
        from urllib.parse import quote

        return (f"postgresql://{quote(self.user, safe='')}@{self.host}:{self.port}/"
                f"{quote(self.database, safe='')}")


def parse(url: str) -> tuple[ServerAddress, str | None]:
    """The address in `url` and the password it holds (None if it holds none). libpq's own
    defaults fill what the URL leaves out: the login name, localhost, 5432, the user's name
    as the database."""
    import getpass

    from psycopg import conninfo

    try:
        params = conninfo.conninfo_to_dict(url.strip())
    except Exception as exc:  # psycopg.ProgrammingError: libpq could not parse it
        raise InputError(f"«{masked(url)}» er ikke en gyldig PostgreSQL-adresse: "
                         f"{_reason(exc)}. Skriv den som "
                         "postgresql://bruger@server:5432/database.") from exc
    try:
        default_user = getpass.getuser()
    except Exception:  # no login name (a service account)
        default_user = "postgres"
    user = str(params.get("user") or default_user)
    host = str(params.get("host") or "localhost")
    port_text = str(params.get("port") or DEFAULT_PORT)
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InputError(f"«{masked(url)}»: porten «{port_text}» er ikke et portnummer "
                         "(1–65535, PostgreSQL bruger normalt 5432).")
    database = str(params.get("dbname") or user)
    password = params.get("password")
    return ServerAddress(user, host, int(port_text), database), (
        str(password) if password is not None else None)


# --- the keyring ---------------------------------------------------------------------------

def keyring_password(address: ServerAddress) -> str | None:
    """The password saved in the OS keyring for `address`, or None: also when the machine
    has no keyring at all (a Linux server without a desktop) or the keyring fails."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, address.keyring_user)
    except Exception:  # keyring.errors.NoKeyringError and any backend's own failure
        return None


def save_password(address: ServerAddress, password: str) -> None:
    """Keep `password` in the OS keyring for `address`; a StoreError in Danish if there is no
    keyring to keep it in."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, address.keyring_user, password)
    except Exception as exc:
        raise ServerError("Adgangskoden kunne ikke gemmes i styresystemets nøglering "
                         f"(Windows' legitimationsadministrator): {_reason(exc)}. Brug i "
                         "stedet en pgpass-fil, eller skriv adgangskoden ved hver start."
                         ) from exc


def forget_password(address: ServerAddress) -> None:
    """Remove the keyring's password for `address`, if there is one."""
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, address.keyring_user)
    except Exception:  # none saved, or no keyring: nothing to forget
        pass


# --- connecting ------------------------------------------------------------------------------

def connect_params(url: str, password: str | None = None) -> dict[str, Any]:
    """psycopg.connect's keyword arguments for `url`: the password from `password`, else the
    URL, else the keyring; with none, no password is passed and libpq reads its pgpass file."""
    address, in_url = parse(url)
    password = password or in_url or keyring_password(address)
    params: dict[str, Any] = {"user": address.user, "host": address.host,
                              "port": address.port, "dbname": address.database,
                              "connect_timeout": CONNECT_TIMEOUT,
                              "application_name": APPLICATION_NAME}
    if password:
        params["password"] = password
    return params


def connect(url: str, *, password: str | None = None, autocommit: bool = False):
    """A psycopg connection to `url` (password as in connect_params), or a StoreError that
    says in Danish which server and what failed. Never shows the password."""
    import psycopg

    address, _ = parse(url)
    try:
        return psycopg.connect(**connect_params(url, password), autocommit=autocommit)
    except psycopg.Error as exc:
        raise connection_error(exc, address) from exc


def connection_error(exc: Exception, address: ServerAddress) -> ServerError:
    """libpq's English reason for a failed connection, said in Danish."""
    text = str(exc)
    low = text.lower()
    where = f"PostgreSQL-serveren {address.server}"
    who = f"brugeren «{address.user}»"
    if "password authentication failed" in low or "authentication failed" in low:
        message = (f"{where} afviste {who}: forkert adgangskode eller brugernavn (database "
                   f"«{address.database}»).")
    elif "no password supplied" in low:
        message = (f"{where} kræver en adgangskode for {who}, og programmet fandt ingen: "
                   "hverken i adressen, i Windows' legitimationsadministrator "
                   "(Indstillinger → Database) eller i en pgpass-fil.")
    elif f'database "{address.database.lower()}" does not exist' in low:
        message = (f"Databasen «{address.database}» findes ikke på {where}. Serverens "
                   "administrator opretter den med «kkr-desktop server init».")
    elif "role" in low and "does not exist" in low:
        message = f"{who.capitalize()} findes ikke på {where}."
    elif "permission denied for database" in low or "not permitted to log in" in low:
        message = f"{who.capitalize()} må ikke logge på databasen «{address.database}» på {where}."
    elif "could not translate host name" in low or "name or service not known" in low:
        message = (f"Serveren «{address.host}» kan ikke findes (navnet kan ikke slås op). "
                   "Kontrollér adressen.")
    elif "connection refused" in low:
        message = (f"Ingen PostgreSQL-server svarer på {address.server} (forbindelsen blev "
                   "afvist). Kontrollér adresse og port, og at serveren kører.")
    elif "timeout" in low or "timed out" in low:
        message = (f"{where} svarede ikke inden for {CONNECT_TIMEOUT} sekunder. Kontrollér "
                   "adressen, og at netværket tillader forbindelsen.")
    else:
        message = f"Forbindelsen til {where} som {who} mislykkedes: {_reason(exc)}"
    error = ServerError(message)
    error.needs_password = ("authentication failed" in low or "no password supplied" in low)
    return error


def with_password(url: str, password: str) -> str:
    """`url` with `password` in it: for this connection only (never saved or shown)."""
    from urllib.parse import quote

    address, _ = parse(url)
    return (f"postgresql://{quote(address.user, safe='')}:{quote(password, safe='')}@"
            f"{address.host}:{address.port}/{quote(address.database, safe='')}")


def _reason(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[-1] if lines else type(exc).__name__
