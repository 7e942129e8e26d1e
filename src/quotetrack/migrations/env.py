"""Alembic environment. The application passes its open connection in `config.attributes`;
developers running `alembic` at the repository root get the database of QUOTETRACK_DB (or the
alembic.ini `sqlalchemy.url`, or the default file)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from quotetrack.store.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    import os

    from quotetrack.store.db import make_engine, resolve_url

    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    url = resolve_url(os.environ.get("QUOTETRACK_DB") or config.get_main_option("sqlalchemy.url") or None)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            run(connection)
            connection.commit()
    finally:
        engine.dispose()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or "sqlite://",
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
