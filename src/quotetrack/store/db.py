"""Opening the database: URL or path, engine settings per backend, schema version, transactions.

A plain path is SQLite; anything with "://" is a SQLAlchemy URL. The default database lives in
the user's application directory. SQLite runs in WAL mode with a busy timeout and every write
transaction begins IMMEDIATE, so concurrent writers queue instead of failing; PostgreSQL writers
take a transaction-scoped advisory lock so speaker identity is resolved by one writer at a time.
"""

from __future__ import annotations

import os
import random
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from quotetrack.errors import QuotetrackError

APP_NAME = "quotetrack"
DEFAULT_FILE = "quotetrack.db"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
WRITE_LOCK_KEY = 0x71756F7465  # "quote": the PostgreSQL advisory lock every writer takes
BUSY_TIMEOUT_MS = 30_000
# WAL pages between checkpoints (SQLite's default is 1,000). Each checkpoint syncs the WAL and the
# database file; a large store's indexes put each new quote on pages of their own, so storing into
# 1,000,000 quotes writes several times the pages that storing into an empty store does and, at the
# default, syncs several times as often: 1.13 to 1.18 times the empty store's time on one machine,
# 1.09 at 10,000 pages, last checkpoint included (benchmarks/identity.py). The WAL grows to 40 MB.
WAL_CHECKPOINT_PAGES = 10_000
RETRIES = 8

T = TypeVar("T")


class StoreError(QuotetrackError):
    """The database cannot be opened, is out of date, or refused a write."""


def app_dir() -> Path:
    """The user's application directory, where click (and so typer) puts it: %APPDATA% on Windows,
    ~/Library/Application Support on macOS, $XDG_CONFIG_HOME or ~/.config elsewhere."""
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA", os.path.expanduser("~"))) / APP_NAME
    if sys.platform == "darwin":
        return Path(os.path.expanduser("~/Library/Application Support")) / APP_NAME
    return Path(os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config"))) / APP_NAME


def default_path() -> Path:
    return app_dir() / DEFAULT_FILE


def resolve_url(db: str | None) -> URL:
    """The SQLAlchemy URL for --db / QUOTETRACK_DB: a URL, a SQLite path, or the default file.
    A blank value (QUOTETRACK_DB="   ") is no value: the default file."""
    if db is None or not db.strip():
        return URL.create("sqlite", database=str(default_path()))
    db = db.strip()
    if "://" not in db:
        return URL.create("sqlite", database=str(Path(db).expanduser()))
    try:
        url = make_url(db)
    except ArgumentError as exc:
        raise StoreError(f"database URL {db!r}: not a valid URL ({exc})") from None
    backend, _, driver = url.drivername.partition("+")
    if backend == "postgres":  # the spelling of Heroku, libpq and many hosting services
        backend = "postgresql"
        url = url.set(drivername="postgresql" + (f"+{driver}" if driver else ""))
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"database URL {shown(url)}: only sqlite and postgresql are supported")
    if backend == "postgresql" and not driver:
        url = url.set(drivername="postgresql+psycopg")
    elif backend == "postgresql" and driver != "psycopg" and not _importable(DRIVER_MODULES.get(driver, driver)):
        plain = shown(url.set(drivername="postgresql"))
        raise StoreError(
            f"database URL {shown(url)}: the {driver} driver is not installed; "
            f"use {plain} (psycopg 3 is installed)"
        )
    return url


# Python module of each SQLAlchemy PostgreSQL driver name that differs from it.
DRIVER_MODULES = {"pg8000": "pg8000", "asyncpg": "asyncpg", "psycopg2cffi": "psycopg2cffi"}


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def shown(url: URL) -> str:
    """The URL without its password, for messages."""
    return url.render_as_string(hide_password=True)


def sqlite_path(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:"):  # a URI filename: sqlite:///file:path?mode=ro&uri=true
        return Path(url.database[len("file:") :].split("?")[0])
    return Path(url.database)


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _sqlite_setup(engine)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (NoSuchModuleError, ArgumentError) as exc:
        raise StoreError(f"database {shown(url)}: {exc}") from None


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Take over transaction control from the sqlite3 module so BEGIN IMMEDIATE is possible.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
            except Exception:  # a read-only file stays in its mode; reads still work
                pass
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection):
        immediate = connection.get_execution_options().get("quotetrack_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@dataclass
class Store:
    """An open database whose schema is at the head revision."""

    url: URL
    engine: Engine
    created: bool = False  # a new SQLite file was created and migrated on opening

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self.engine.connect() as connection:
            connection.execution_options(quotetrack_write=True)
            with connection.begin():
                if self.backend == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
                with Session(bind=connection, autoflush=True, expire_on_commit=False) as session:
                    yield session
                    session.flush()

    def retrying(self, work: Callable[[Session], T]) -> T:
        """Run `work` in a write transaction, again after lock timeouts and serialization failures."""
        for attempt in range(RETRIES):
            try:
                with self.write() as session:
                    return work(session)
            except DBAPIError as exc:  # OperationalError ("database is locked") included
                if attempt + 1 == RETRIES or not transient(exc):
                    raise
            time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()


def transient(exc: DBAPIError) -> bool:
    message = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlstate", None)
    return (
        "database is locked" in message
        or "database is busy" in message
        or code in ("40001", "40P01", "55P03")  # serialization failure, deadlock, lock not available
    )


# --- schema version -------------------------------------------------------------------------------


def alembic_config(connection: Connection | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships its migrations"
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_schema_owner(url: URL, revision: str | None, tables: set[str]) -> None:
    """Raise StoreError (one line) for a database quotetrack cannot use or upgrade: one at a schema
    revision this version does not know (a newer quotetrack's, or another application's), or one
    holding tables quotetrack did not create (another application's SQLite file; on PostgreSQL,
    tables that would clash with quotetrack's)."""
    if revision is not None:
        if revision not in known_revisions():
            raise StoreError(
                f"database {shown(url)} is at schema revision {revision}, which this version of quotetrack "
                f"does not know (its newest is {head_revision()}): it was made by a newer quotetrack "
                "(upgrade quotetrack) or by another application (use another database)"
            )
        return
    from quotetrack.store.models import Base

    tables = tables - {"alembic_version"}
    if url.get_backend_name() != "sqlite":
        tables &= set(Base.metadata.tables)  # other applications' tables may share a PostgreSQL schema
    if tables:
        listed = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise StoreError(
            f"database {shown(url)} is not a quotetrack database: it holds tables quotetrack did not create "
            f"({listed}); use a new file or another database"
        )


def upgrade(url: URL) -> tuple[str | None, str]:
    """Bring the schema to the head revision; return (revision before, revision after)."""
    from alembic import command

    _prepare_sqlite_file(url)
    _check_sqlite_owner(url)
    engine = make_engine(url)
    try:
        with _connected(engine, url) as connection:
            # On SQLite the whole upgrade holds the write lock from its first read, so two
            # processes creating one new database one after the other do not both migrate it.
            connection.execution_options(quotetrack_write=True)
            if url.get_backend_name() == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            before = current_revision(connection)
            check_schema_owner(url, before, set(inspect(connection).get_table_names()))
            command.upgrade(alembic_config(connection), "head")
            connection.commit()
            return before, current_revision(connection) or ""
    finally:
        engine.dispose()


def open_store(db: str | None, *, writable: bool = False, create: bool = True) -> Store:
    """Open the database named by --db. A new SQLite database is created and migrated when `create`
    (Store.created tells the caller to say so); any other database must already be at the head revision."""
    url = resolve_url(db)
    path = sqlite_path(url)
    created = False
    _check_sqlite_owner(url)  # before any connection that would change the file (WAL mode)
    if path is not None and not _has_tables(path):
        if not create:
            raise StoreError(f"database {path}: there is no quotetrack database there (open it with create=True to create one)")
        upgrade(url)
        created = True
    engine = make_engine(url)
    try:
        with _connected(engine, url) as connection:
            revision = current_revision(connection)
            head = head_revision()
            if revision != head:
                check_schema_owner(url, revision, set(inspect(connection).get_table_names()))
                where = shlex.quote(str(path) if path is not None else shown(url))
                state = f"is at revision {revision}" if revision else "has no quotetrack schema"
                raise StoreError(
                    f"database {shown(url)} {state}, this version needs {head}; run `quotetrack db upgrade --db {where}`"
                )
            if writable:
                _probe_write(connection, url)
    except BaseException:
        engine.dispose()
        raise
    return Store(url=url, engine=engine, created=created)


def _probe_write(connection: Connection, url: URL) -> None:
    """Fail now, with one line, on a database that cannot be written (read-only file or role)."""
    connection.rollback()
    try:
        with connection.begin():
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            raise _Rollback()
    except _Rollback:
        pass
    except SQLAlchemyError as exc:
        raise StoreError(f"database {shown(url)}: cannot write to it ({_reason(exc)})") from None


class _Rollback(Exception):
    pass


@contextmanager
def _connected(engine: Engine, url: URL) -> Iterator[Connection]:
    try:
        connection = engine.connect()
    except SQLAlchemyError as exc:
        raise StoreError(f"database {shown(url)}: cannot connect ({_reason(exc)})") from None
    try:
        yield connection
    finally:
        connection.close()


def _reason(exc: SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split())[:300]


def _check_sqlite_owner(url: URL) -> None:
    """check_schema_owner on an existing SQLite file, read through a read-only connection."""
    path = sqlite_path(url)
    if path is None or not path.exists() or not _has_tables(path):
        return
    import sqlite3

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"database {path}: not a SQLite database ({exc})") from None
    finally:
        connection.close()
    check_schema_owner(url, revision, tables)


def has_database(path: Path) -> bool:
    """True when a SQLite file exists at `path` and holds tables (raises StoreError when it is no
    SQLite database)."""
    return _has_tables(path)


def _has_tables(path: Path) -> bool:
    if not path.exists():
        return False
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            return connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"database {path}: not a SQLite database ({exc})") from None


def _prepare_sqlite_file(url: URL) -> None:
    path = sqlite_path(url)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"database {path}: cannot create its directory ({exc.strerror})") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(f"database {path}: the file is read-only")
    if not os.access(path.parent, os.W_OK):
        raise StoreError(f"database {path}: its directory {path.parent} is read-only")


def table_names(store: Store) -> list[str]:
    return sorted(inspect(store.engine).get_table_names())
