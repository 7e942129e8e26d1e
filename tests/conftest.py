"""Shared test fixtures: the spaCy model, loaded once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from quotetrack.extraction.nlp import load_nlp

    return load_nlp()


@pytest.fixture(autouse=True, scope="session")
def _throwaway_database(tmp_path_factory):
    """`quotetrack extract` stores by default: in tests it writes to a throwaway database, never
    to the user's own (a test that wants another passes --db)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("QUOTETRACK_DB", str(tmp_path_factory.mktemp("quotetrack-db") / "session.db"))
    yield
    patch.undo()
