"""A throwaway PostgreSQL cluster for the tests: Debian's packages, an unprivileged user.

    python3 tools/pg_server.py start DIR   # prints the superuser's connection string
    python3 tools/pg_server.py stop DIR

`start` installs Debian's postgresql package if no server is on the machine (needs root),
makes a fresh cluster in DIR (initdb as the unprivileged `postgres` user when run as root:
PostgreSQL refuses to run as root), listens on 127.0.0.1 at a free port and on a socket in
DIR, and writes DIR/url (the superuser `kkr_admin`, trusted on the socket and on 127.0.0.1
with a password, so tests can also log in with one). Nothing of it outlives `stop`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

SUPERUSER = "kkr_admin"
PASSWORD = "kkr-test-only"  # a throwaway cluster on loopback, deleted by `stop`


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _install() -> Path:
    bin_dir = _bin_dir()
    if bin_dir is not None:
        return bin_dir
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        sys.exit("PostgreSQL is not installed and cannot be installed here (needs root and "
                 "apt-get): apt-get install postgresql")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                    "postgresql"], check=True, env=env, stdout=subprocess.DEVNULL)
    bin_dir = _bin_dir()
    if bin_dir is None:
        sys.exit("apt-get installed postgresql, but no initdb was found")
    # Debian's package starts a default cluster of its own; only ours is wanted
    subprocess.run(["pg_ctlcluster", bin_dir.parent.name, "main", "stop"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return bin_dir


def _as_user(cmd: list[str]) -> list[str]:
    """Root runs the server as `postgres` (Debian's package makes that user)."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(root: Path) -> str:
    bin_dir = _install()
    root.mkdir(parents=True, exist_ok=True)
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    subprocess.run(_as_user([str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                             f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8",
                             "--auth-local=trust", "--auth-host=scram-sha-256"]),
                   check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    conf = data / "postgresql.conf"
    with conf.open("a", encoding="utf-8") as fh:
        fh.write(f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                 f"unix_socket_directories = '{root}'\nfsync = off\n"
                 "synchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n"
                 "shared_buffers = 128MB\n")
    log = root / "server.log"
    subprocess.run(_as_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log),
                             "-w", "-t", "60", "start"]), check=True,
                   stdout=subprocess.DEVNULL)
    url = f"postgresql://{SUPERUSER}:{PASSWORD}@127.0.0.1:{port}/postgres"
    for _ in range(100):
        ready = subprocess.run([str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p",
                                str(port)], stdout=subprocess.DEVNULL)
        if ready.returncode == 0:
            break
        time.sleep(0.1)
    (root / "url").write_text(url + "\n")
    return url


def stop(root: Path) -> None:
    bin_dir = _bin_dir()
    data = root / "data"
    if bin_dir is not None and (data / "postmaster.pid").exists():
        subprocess.run(_as_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                 "-w", "stop"]), stdout=subprocess.DEVNULL)
    shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__)
        return 2
    root = Path(argv[1]).resolve()
    if argv[0] == "start":
        print(start(root))
    else:
        stop(root)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
