"""A local PostgreSQL cluster under ``$FHUB_DATA_DIR/postgres`` (``fhub postgres up`` / ``down``).

Debian's server programs (package ``postgresql``, PostgreSQL 15: ``/usr/lib/postgresql/15/bin``) run the
cluster on a unix socket in that folder and on 127.0.0.1 at a free port. ``initdb`` and ``pg_ctl`` refuse to
run as root, so as root they run as the ``postgres`` user (``runuser``), the folder is owned by it (0700), and
folders above it get the search (x) bit for others where ``postgres`` could not reach it; as any other user
the cluster simply belongs to that user.

Layout::

    postgres/            socket .s.PGSQL.<port> lives here (mode 0700: only the owner, and root, connect)
      pgdata/            the cluster (initdb), settings in pgdata/fhub.conf
      server.log         the server's log
      pgpass             generated logins, mode 0600 (libpq password-file format)
      cluster.json       port and database, so a restart keeps the same DSN

Logins use scram-sha-256 passwords on the socket and on TCP. The superuser ``postgres`` only bootstraps the
loader role and the database; everything else runs as the loader.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psutil

from fhub.serving.passwords import ensure_passwords

SUPERUSER = "postgres"
PREFERRED_MAJOR = 15
#: unix-domain socket paths are limited to 107 bytes (sun_path)
MAX_SOCKET_PATH = 107


class ClusterError(RuntimeError):
    """The local cluster could not be set up, started or stopped; the message says what to do."""


def server_bindir(explicit: Path | None = None) -> Path:
    """Folder holding ``initdb`` and ``pg_ctl``: explicit, else Debian's (15 preferred), else on PATH."""
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted(
            (p for p in debian.iterdir() if p.name.isdigit()),
            key=lambda p: (int(p.name) != PREFERRED_MAJOR, -int(p.name)),
        )
        candidates += [v / "bin" for v in versions]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise ClusterError(
        "PostgreSQL server programs (initdb, pg_ctl) were not found. Install Debian's server: "
        "`make postgres-deps` (apt-get install postgresql), or set FHUB_PG_BINDIR to their folder."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    """Whether PostgreSQL could listen on ``port``. Like the postmaster, the probe sets SO_REUSEADDR: right
    after a stop the old listener's closed connections sit in TIME_WAIT, which blocks a plain bind but not the
    server's, and the restart must keep the port analysts saved in their DSN."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class ClusterInfo:
    port: int
    database: str
    loader: str
    started: bool  # False: it was already running and was reused
    socket_dir: Path
    passfile: Path
    notes: list[str] = field(default_factory=list)

    def dsn(self, role: str, *, tcp: bool = True) -> str:
        """A libpq URI for ``role``; the password comes from the generated password file, never the URI."""
        passfile = quote(str(self.passfile), safe="/")
        if tcp:
            return f"postgresql://{role}@127.0.0.1:{self.port}/{self.database}?passfile={passfile}"
        host = quote(str(self.socket_dir), safe="/")
        return f"postgresql://{role}@/{self.database}?host={host}&port={self.port}&passfile={passfile}"


class LocalCluster:
    """The cluster under ``<data>/postgres``. Root runs the server programs as ``postgres``."""

    def __init__(self, root: Path, *, bindir: Path | None = None) -> None:
        self.root = Path(root).absolute()
        self._bindir = bindir

    # --- where things are -------------------------------------------------------------------------
    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def passfile(self) -> Path:
        return self.root / "pgpass"

    @property
    def state_file(self) -> Path:
        return self.root / "cluster.json"

    def _state(self) -> dict:
        with contextlib.suppress(FileNotFoundError, ValueError):
            return json.loads(self.state_file.read_text())
        return {}

    # --- who runs the server programs ------------------------------------------------------------
    @staticmethod
    def _as_root() -> bool:
        return os.geteuid() == 0

    def _owner(self) -> pwd.struct_passwd:
        if not self._as_root():
            return pwd.getpwuid(os.geteuid())
        try:
            return pwd.getpwnam(SUPERUSER)
        except KeyError as exc:
            raise ClusterError(
                "Running as root, the cluster must belong to the `postgres` user, which does not exist. "
                "Install Debian's postgresql package (it creates the user) or run as another user."
            ) from exc

    def _run(self, *args: str | Path, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", SUPERUSER, "--"] if self._as_root() else []
        result = subprocess.run(
            [*prefix, *(str(a) for a in args)],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if check and result.returncode != 0:
            tail = (result.stderr or result.stdout).strip()[-1500:]
            raise ClusterError(f"{Path(str(args[0])).name} failed (exit {result.returncode}): {tail}")
        return result

    def _chown(self, path: Path) -> None:
        if self._as_root():
            owner = self._owner()
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def _reachable_by_owner(self) -> list[Path]:
        """Give ``postgres`` the search bit on folders above the cluster it could not pass; list them."""
        if not self._as_root():
            return []
        owner = self._owner()
        groups = {g for g in os.getgrouplist(owner.pw_name, owner.pw_gid)}
        changed: list[Path] = []
        for folder in reversed(self.root.parents):
            st = folder.stat()
            if st.st_uid == owner.pw_uid:
                bit = stat.S_IXUSR
            elif st.st_gid in groups:
                bit = stat.S_IXGRP
            else:
                bit = stat.S_IXOTH
            if not st.st_mode & bit:
                os.chmod(folder, stat.S_IMODE(st.st_mode) | bit)
                changed.append(folder)
        return changed

    def _prepare_root(self) -> list[str]:
        notes: list[str] = []
        if len(str(self.root / ".s.PGSQL.65535")) > MAX_SOCKET_PATH:
            raise ClusterError(
                f"the socket path under {self.root} would be longer than {MAX_SOCKET_PATH} characters; "
                "use a shorter FHUB_DATA_DIR"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        self._chown(self.root)
        os.chmod(self.root, 0o700)
        for folder in self._reachable_by_owner():
            notes.append(
                f"added the search (x) permission on {folder} so the postgres user reaches the cluster"
            )
        return notes

    # --- state ----------------------------------------------------------------------------------
    def initialised(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def running_port(self) -> int | None:
        """The port of a live postmaster of this cluster, or None."""
        pidfile = self.pgdata / "postmaster.pid"
        try:
            lines = pidfile.read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
        except (FileNotFoundError, PermissionError, IndexError, ValueError):
            return None
        try:
            if psutil.Process(pid).name() not in ("postgres", "postmaster"):
                return None
        except psutil.Error:
            return None
        return port

    def is_running(self) -> bool:
        return self.running_port() is not None

    def info(self, port: int, *, started: bool = False, notes: list[str] | None = None) -> ClusterInfo:
        state = self._state()
        return ClusterInfo(
            port=port,
            database=state.get("database", "fhub"),
            loader=state.get("loader", "fh_loader"),
            started=started,
            socket_dir=self.root,
            passfile=self.passfile,
            notes=notes or [],
        )

    # --- lifecycle --------------------------------------------------------------------------------
    def _initdb(self, bindir: Path) -> None:
        password = ensure_passwords(self.passfile, [SUPERUSER])[SUPERUSER]
        pwfile = self.root / ".initdb-password"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")
        self._chown(pwfile)
        try:
            self._run(
                bindir / "initdb",
                "-D",
                self.pgdata,
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                f"--pwfile={pwfile}",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        with open(self.pgdata / "postgresql.conf", "a", encoding="utf-8") as fh:
            fh.write(
                "\n# fhub: local serving cluster settings (rewritten by fhub postgres up)\ninclude 'fhub.conf'\n"
            )

    def _write_settings(self, port: int, settings: dict[str, str]) -> None:
        socket_dir = str(self.root).replace("'", "''")
        values = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(port),
            "unix_socket_directories": f"'{socket_dir}'",
            "unix_socket_permissions": "0700",
            "max_connections": "60",
            # the mart is rebuilt from the published file every night: tables created and filled in the load's
            # own transaction need no WAL at this level (and there is no replica to feed)
            "wal_level": "minimal",
            "max_wal_senders": "0",
            **{k: str(v) for k, v in settings.items()},
        }
        conf = self.pgdata / "fhub.conf"
        conf.write_text("".join(f"{k} = {v}\n" for k, v in values.items()))
        self._chown(conf)

    def start(self, *, port: int | None = None, settings: dict[str, str] | None = None, bindir: Path) -> int:
        chosen = port or self._state().get("port")
        if not chosen or not _port_free(int(chosen)):
            if port:
                raise ClusterError(f"port {port} on 127.0.0.1 is in use; choose another or leave it out")
            chosen = free_port()
        self._write_settings(
            int(chosen), settings if settings is not None else self._state().get("settings", {})
        )
        result = self._run(
            bindir / "pg_ctl", "-D", self.pgdata, "-l", self.log_file, "-w", "-t", "90", "start", check=False
        )
        if result.returncode != 0:
            tail = ""
            with contextlib.suppress(OSError):
                tail = self.log_file.read_text(errors="replace")[-1500:]
            raise ClusterError(f"pg_ctl start failed (exit {result.returncode}); server log:\n{tail}")
        return int(chosen)

    def stop(self, timeout: float = 60.0) -> bool:
        """Fast shutdown (SIGINT to the postmaster, as ``pg_ctl stop -m fast``); True if it was running."""
        if not self.is_running():
            return False
        pid = int((self.pgdata / "postmaster.pid").read_text().splitlines()[0])
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not psutil.pid_exists(pid):
                return True
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGQUIT)  # immediate shutdown: recovery runs at the next start
        return True

    def up(
        self,
        *,
        database: str = "fhub",
        loader: str = "fh_loader",
        port: int | None = None,
        settings: dict[str, str] | None = None,
    ) -> ClusterInfo:
        """Create (initdb) and start the cluster unless it is already running, then make sure the loader
        role and the database exist. Idempotent."""
        bindir = server_bindir(self._bindir)
        notes = self._prepare_root()
        running = self.running_port()
        started = running is None
        if not self.initialised():
            self._initdb(bindir)
            notes.append(f"created a PostgreSQL cluster in {self.pgdata} ({bindir})")
        state = self._state()
        if settings is None:
            settings = state.get("settings", {})
        if running is None:
            running = self.start(port=port, settings=settings, bindir=bindir)
        elif port and port != running:
            notes.append(f"already running on port {running}; stop it first to change the port")
        self.state_file.write_text(
            json.dumps(
                {"port": running, "database": database, "loader": loader, "settings": settings}, indent=2
            )
        )
        info = self.info(running, started=started, notes=notes)
        _bootstrap(info, ensure_passwords(self.passfile, [SUPERUSER, loader]))
        return info


def _bootstrap(info: ClusterInfo, passwords: dict[str, str]) -> None:
    """As the superuser: the loader role (may create reader roles) owns the database; nobody else connects
    unless granted."""
    import psycopg
    from psycopg import sql

    conninfo = {"host": str(info.socket_dir), "port": info.port, "user": SUPERUSER, "dbname": "postgres"}
    with psycopg.connect(**conninfo, password=passwords[SUPERUSER], autocommit=True) as con:
        exists = con.execute("select 1 from pg_roles where rolname = %s", [info.loader]).fetchone()
        verb = "alter" if exists else "create"
        con.execute(
            sql.SQL("{} role {} login createrole password {}").format(
                sql.SQL(verb), sql.Identifier(info.loader), sql.Literal(passwords[info.loader])
            )
        )
        if not con.execute("select 1 from pg_database where datname = %s", [info.database]).fetchone():
            con.execute(
                sql.SQL("create database {} owner {}").format(
                    sql.Identifier(info.database), sql.Identifier(info.loader)
                )
            )
        con.execute(sql.SQL("revoke all on database {} from public").format(sql.Identifier(info.database)))
    with psycopg.connect(
        **{**conninfo, "dbname": info.database}, password=passwords[SUPERUSER], autocommit=True
    ) as con:
        con.execute("revoke all on schema public from public")
