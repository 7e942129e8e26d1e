"""Shared test fixtures: the spaCy model, loaded once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Test helper modules (tests/analysis_quotes.py) import as top-level modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def nlp():
    from quotetrack.model import load_nlp

    return load_nlp()
