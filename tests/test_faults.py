"""Faults during a run: kill -9 in the middle of an ingest, Ctrl-C, and databases that are wrong,
unreachable or read-only. The runs are real `quotetrack extract` processes."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrack.cli import app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PG_BASE = os.environ.get("QUOTETRACK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
runner = CliRunner()

GIVEN = ["Anna", "Tomas", "Maria", "Pavel", "Leila", "Jonas", "Ines", "Omar", "Greta", "Viktor"]
FAMILY = ["Berg", "Lind", "Okafor", "Novak", "Haddad", "Moreau", "Tanaka", "Kowalski", "Silva", "Petrov"]
ROLES = ["Mayor", "Finance Minister", "Senator", "Professor", "Governor"]
TOPICS = ["the harbour", "the new bridge", "school meals", "the rail link", "water prices", "the budget"]


def article(number: int) -> dict:
    """A short news item of our own with a direct and a reported quote."""
    rng = random.Random(number)
    first = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    second = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    topic, other = rng.sample(TOPICS, 2)
    text = (
        f'"We will finish {topic} before winter {2020 + number % 7}," {rng.choice(ROLES)} {first} said on Monday.\n\n'
        f"{second} argued that {other} would cost more than planned in item {number}.\n"
    )
    return {"id": f"item-{number:04d}", "text": text, "outlet": "Daily Test", "published": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}"}


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("feed") / "items.jsonl"
    path.write_text("".join(json.dumps(article(i)) + "\n" for i in range(2000)), encoding="utf-8")
    return path


def start(args: list, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), QUOTETRACK_DB="")
    return subprocess.Popen(
        [sys.executable, "-m", "quotetrack", *map(str, args)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def stored_documents(db: Path) -> int:
    """Documents committed so far, read without disturbing the writer."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # the file or its schema is not there yet


def wait_for(db: Path, count: int, process: subprocess.Popen, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stored = stored_documents(db)
        if stored >= count:
            return stored
        if process.poll() is not None:
            pytest.fail(f"the run ended before storing {count} documents: {process.stderr.read().decode()}")
        time.sleep(0.05)
    pytest.fail(f"fewer than {count} documents stored after {timeout} s")


def check_consistent(db: Path) -> dict:
    """Every stored document has exactly its quotes; no orphans; indexes intact. Returns counts."""
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        c.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')")  # raises when out of step
        partial = c.execute(
            "SELECT d.key, d.quote_count, count(q.id) FROM documents d LEFT JOIN quotes q ON q.document_id = d.id "
            "GROUP BY d.id HAVING d.quote_count != count(q.id)"
        ).fetchall()
        assert partial == [], f"documents without all their quotes: {partial[:5]}"
        orphans = c.execute("SELECT count(*) FROM quotes WHERE document_id NOT IN (SELECT id FROM documents)").fetchone()[0]
        assert orphans == 0
        unknown = c.execute(
            "SELECT count(*) FROM quotes WHERE speaker_id IS NOT NULL AND speaker_id NOT IN (SELECT id FROM speakers)"
        ).fetchone()[0]
        assert unknown == 0
        duplicates = c.execute("SELECT count(*) - count(DISTINCT key) FROM documents").fetchone()[0]
        assert duplicates == 0
        return {
            "documents": c.execute("SELECT count(*) FROM documents").fetchone()[0],
            "quotes": c.execute("SELECT count(*) FROM quotes").fetchone()[0],
            "keys": set(c.execute("SELECT d.key, q.key FROM quotes q JOIN documents d ON d.id = q.document_id").fetchall()),
        }


@pytest.mark.slow
def test_kill_9_mid_ingest_leaves_a_consistent_database_and_the_rerun_completes_it(feed, tmp_path):
    db = tmp_path / "killed.db"
    process = start(["extract", feed, "--db", db, "-f", "jsonl", "-q"])
    try:
        wait_for(db, 300, process)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    before = check_consistent(db)
    assert 300 <= before["documents"] < 2000 and before["quotes"] > 0

    output = tmp_path / "rerun.jsonl"
    rerun = start(["extract", feed, "--db", db, "-f", "jsonl", "-o", output])
    _, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr.decode()
    after = check_consistent(db)
    assert after["documents"] == 2000
    # the rerun stored exactly the documents the killed run had not
    assert f"stored {2000 - before['documents']} new, 0 changed, {before['documents']} unchanged" in stderr.decode()
    extracted = {(r["doc"], r["id"]) for r in map(json.loads, output.read_text(encoding="utf-8").splitlines())}
    assert after["keys"] == extracted and len(extracted) == after["quotes"]
    assert before["keys"] <= after["keys"]


def process_group_gone(group: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_kill_9_with_worker_processes_leaves_no_process_behind(feed, tmp_path):
    db = tmp_path / "workers.db"
    process = start(["extract", feed, "--db", db, "-q", "-f", "jsonl", "--n-process", "2"], start_new_session=True)
    try:
        wait_for(db, 50, process)
        process.send_signal(signal.SIGKILL)  # the parent only, as the OOM killer would
        process.wait(timeout=30)
        assert process_group_gone(process.pid, timeout=10), "worker processes outlived their parent"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    check_consistent(db)


@pytest.mark.slow
@pytest.mark.parametrize("n_process", [1, 2])
def test_ctrl_c_stops_cleanly_with_a_summary_of_what_was_stored(feed, tmp_path, n_process):
    db = tmp_path / "interrupted.db"
    process = start(["extract", feed, "--db", db, "-f", "jsonl", "--n-process", n_process], start_new_session=True)
    try:
        wait_for(db, 100, process)
        os.killpg(process.pid, signal.SIGINT)  # the terminal sends it to the whole process group
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    text = stderr.decode()
    assert process.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    summary = [line for line in text.splitlines() if line.startswith("Interrupted after ")]
    assert len(summary) == 1, text
    counts = check_consistent(db)
    assert f"stored {counts['documents']} new, 0 changed, 0 unchanged documents ({counts['quotes']} quotes)" in summary[0]
    assert 100 <= counts["documents"] < 2000
    assert process_group_gone(process.pid, timeout=10)


# --- databases that cannot be used ---------------------------------------------------------------


def one_line_error(result, *fragments) -> None:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def one_article(tmp_path) -> Path:
    path = tmp_path / "roads.txt"
    path.write_text('"Roads first," Mayor Anna Berg said.\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://user@localhost/quotes", "only sqlite and postgresql"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/test", "cannot connect"),
        ("postgresql+psycopg://postgres@no-such-host.invalid:5432/test", "cannot connect"),
        ("sqlite:////dev/null/sub/quotes.db", "cannot create its directory"),
    ],
)
def test_extract_with_an_unusable_database_fails_in_one_line_and_writes_nothing(tmp_path, one_article, url, fragment):
    output = tmp_path / "quotes.jsonl"
    result = runner.invoke(app, ["extract", str(one_article), "--db", url, "-f", "jsonl", "-o", str(output)])
    one_line_error(result, fragment)
    assert result.stdout == "" and not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roads.txt"]


def test_extract_into_a_read_only_sqlite_database_fails_in_one_line_and_changes_nothing(tmp_path, one_article):
    db = tmp_path / "ro.db"
    assert runner.invoke(app, ["extract", str(FIXTURES), "--db", str(db), "-q"]).exit_code == 0
    before = db.read_bytes()
    result = runner.invoke(app, ["extract", str(one_article), "--db", f"sqlite:///file:{db}?mode=ro&uri=true", "-f", "jsonl"])
    one_line_error(result, "cannot write")
    assert result.stdout == "" and db.read_bytes() == before


def postgres_admin():
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(PG_BASE)
    try:
        return psycopg.connect(host=url.host, port=url.port or 5432, user=url.username, dbname=url.database,
                               autocommit=True, connect_timeout=3)
    except Exception as exc:
        pytest.skip(f"PostgreSQL at {PG_BASE} is unreachable: {exc}")


@pytest.mark.postgres
def test_extract_as_a_read_only_postgresql_role_fails_in_one_line_and_writes_nothing(one_article):
    from sqlalchemy.engine import make_url

    admin = postgres_admin()
    tag = uuid.uuid4().hex[:10]
    schema, role = f"qt_ro_{tag}", f"qt_reader_{tag}"
    base = make_url(PG_BASE)
    try:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        owner_url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
        assert runner.invoke(app, ["db", "upgrade", "--db", owner_url]).exit_code == 0
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
        admin.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        admin.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
        reader_url = base.set(username=role).render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"
        result = runner.invoke(app, ["extract", str(one_article), "--db", reader_url, "-f", "jsonl"])
        one_line_error(result, "cannot write")
        assert result.stdout == ""
        assert admin.execute(f'SELECT count(*) FROM "{schema}".documents').fetchone()[0] == 0
    finally:
        admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.execute(f'DROP OWNED BY "{role}"') if _role_exists(admin, role) else None
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.close()


def _role_exists(admin, role: str) -> bool:
    return admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None
