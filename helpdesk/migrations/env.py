"""Alembic environment, run through Flask-Migrate inside the app (``helpdesk db ...``)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Our UTC type is Python-side only; migrations see a plain timezone-aware DateTime."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name, type_, parent_names):
    """Search's postings are not models (an FTS5 table and its shadow tables, or a tsvector
    table): autogenerate must neither drop nor compare them."""
    from search_index.postings import is_postings_table

    return not (type_ == "table" and is_postings_table(name))


def run_migrations_offline():
    """Emit SQL without a database (``helpdesk db upgrade --sql``)."""
    context.configure(
        url=target_db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    conf_args = dict(current_app.extensions["migrate"].configure_args)

    def process_revision_directives(context, revision, directives):
        # An autogenerate that finds no change writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    conf_args.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the original, which enforced
            # foreign keys forbid as soon as rows point at it. Off for the migration (it has to
            # be set outside a transaction), checked once at the end, on again after.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            render_item=render_item,
            include_name=include_name,
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
