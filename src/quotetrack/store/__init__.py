"""The quote store: SQLAlchemy models, Alembic-managed schema, ingest, speaker identity, queries."""

from quotetrack.store.db import Store, StoreError, default_path, open_store, resolve_url, upgrade
from quotetrack.store.ingest import Ingestor, IngestStats

__all__ = ["Ingestor", "IngestStats", "Store", "StoreError", "default_path", "open_store", "resolve_url", "upgrade"]
