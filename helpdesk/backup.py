"""Backup and restore: one archive with a consistent snapshot of the database and every raw mail
and attachment it refers to, taken while the helpdesk runs.

The database is snapshotted first (SQLite's online backup API; on PostgreSQL ``pg_dump`` of a
snapshot exported from a repeatable-read transaction, in which the blob list is read too).
Blobs are content-addressed and never edited, so copying the ones the snapshot names after it
is consistent: mail arriving meanwhile adds rows the snapshot does not have and blobs it does
not need.

Blobs are in the archive as files whichever backend holds them (the dump leaves out the
``blobs`` table's rows), so a backup restores into either backend: restore puts every blob
into the configured one."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from .core.blob_stores import blob_stores
from .core.storage import BlobNotFound, BlobStore
from .core.unit_of_work import unit_of_work
from .extensions import db

FORMAT = 1
_BLOB_QUERIES = {
    "raw": "SELECT DISTINCT sha256 FROM raw_mail",
    "attachments": "SELECT DISTINCT sha256 FROM attachments",
}


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why (shown to an operator)."""


@dataclass(frozen=True)
class BackupSummary:
    schema: str
    database: str  # "sqlite" or "postgresql"
    blobs: dict[str, int]  # per store, how many
    missing: list[str]  # blobs a row names that were not on disk (reported, not fatal)


def create_backup(app: Flask, target: Path) -> BackupSummary:
    """Write the archive to ``target`` (a .tar.gz), via a temporary file renamed at the end."""
    with app.app_context(), tempfile.TemporaryDirectory() as work:
        dump, schema, digests = _snapshot(Path(work))
        stores = _stores(app)
        missing: list[str] = []
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w:gz", compresslevel=1) as archive:
            archive.add(dump, arcname=f"database/{dump.name}")
            for store_name, store_digests in digests.items():
                for digest in sorted(store_digests):
                    try:
                        data = stores[store_name].get(digest)
                    except BlobNotFound:
                        missing.append(f"{store_name}/{digest}")
                    else:
                        _add_bytes(archive, f"{store_name}/{digest}", data)
            summary = BackupSummary(
                schema, _dialect(), {k: len(v) for k, v in digests.items()}, missing
            )
            _add_json(archive, "manifest.json", _manifest(summary))
        os.replace(partial, target)
        return summary


def restore_backup(app: Flask, source: Path) -> BackupSummary:
    """Replace the configured database and add the archive's blobs to the stores. Refuses a
    backup from a newer schema than this code knows; an older one is upgraded afterwards."""
    with app.app_context(), tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(_read(archive, "manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        _refuse_unknown_schema(app, manifest["schema"])
        if manifest["database"] != _dialect():
            raise BackupError(
                f"this backup is of a {manifest['database']} database; "
                f"the configured one is {_dialect()}"
            )
        with tempfile.TemporaryDirectory() as work:
            dump = _extract_database(archive, Path(work))
            db.session.remove()
            db.engine.dispose()
            _load_database(dump)
        from .database import prepare_database

        prepare_database()  # first: an older backup may predate the blobs table
        counts = _restore_blobs(archive, _stores(app))
        return BackupSummary(manifest["schema"], manifest["database"], counts, [])


def _stores(app: Flask) -> dict[str, BlobStore]:
    return blob_stores(app.config)


def _dialect() -> str:
    return db.engine.dialect.name


def _snapshot(work: Path) -> tuple[Path, str, dict[str, set[str]]]:
    if _dialect() == "sqlite":
        return _snapshot_sqlite(work)
    return _snapshot_postgresql(work)


def _snapshot_sqlite(work: Path) -> tuple[Path, str, dict[str, set[str]]]:
    dump = work / "helpdesk.sqlite3"
    live = str(make_url(db.engine.url).database)
    with closing(sqlite3.connect(live)) as source, closing(sqlite3.connect(dump)) as copy:
        source.backup(copy)  # online: readers and writers go on meanwhile
    with closing(sqlite3.connect(dump, isolation_level=None)) as copy:
        schema = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        digests = {name: {row[0] for row in copy.execute(q)} for name, q in _BLOB_QUERIES.items()}
        _drop_blob_rows(copy)
    return dump, schema, digests


def _drop_blob_rows(copy: sqlite3.Connection) -> None:
    """The blobs go into the archive as files: the copy keeps the table, empty. One file, no
    write-ahead log beside it: the archive takes only the file."""
    copy.execute("PRAGMA journal_mode=DELETE")
    table = copy.execute("SELECT 1 FROM sqlite_master WHERE name = 'blobs'").fetchone()
    if table and copy.execute("DELETE FROM blobs").rowcount:
        copy.execute("VACUUM")  # give the space back: the dump is archived


def _snapshot_postgresql(work: Path) -> tuple[Path, str, dict[str, set[str]]]:
    dump = work / "helpdesk.pgdump"
    with db.engine.connect() as connection:
        connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        _pg_tool(
            "pg_dump",
            "--format=custom",
            f"--snapshot={snapshot}",
            "--exclude-table-data=blobs",  # archived as files, as from the folder store
            f"--file={dump}",
        )
        schema = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        digests = _blob_digests(connection)
        connection.rollback()
    return dump, schema, digests


def _blob_digests(connection: Connection) -> dict[str, set[str]]:
    return {name: set(connection.execute(text(q)).scalars()) for name, q in _BLOB_QUERIES.items()}


def _pg_tool(tool: str, *arguments: str) -> None:
    url = make_url(db.engine.url).set(drivername="postgresql")
    command = [tool, *arguments, f"--dbname={url.render_as_string(hide_password=False)}"]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 - our own arguments
    except FileNotFoundError as error:
        raise BackupError(f"{tool} is not installed (Debian: postgresql-client)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{tool} failed: {error.stderr.strip()[:2000]}") from error


def _manifest(summary: BackupSummary) -> dict[str, object]:
    return {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "helpdesk_version": version("helpdesk"),
        "schema": summary.schema,
        "database": summary.database,
        "blobs": summary.blobs,
        "missing": summary.missing,
    }


def _add_json(archive: tarfile.TarFile, name: str, content: object) -> None:
    _add_bytes(archive, name, json.dumps(content, indent=2).encode())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _read(archive: tarfile.TarFile, name: str) -> bytes:
    member = archive.extractfile(name)
    if member is None:
        raise BackupError(f"the archive has no {name}: not a helpdesk backup")
    return member.read()


def _refuse_unknown_schema(app: Flask, schema: str) -> None:
    script = ScriptDirectory(app.extensions["migrate"].directory)
    known = {revision.revision for revision in script.walk_revisions()}
    if schema not in known:
        raise BackupError(
            f"this backup's schema ({schema}) is newer than this version of the helpdesk "
            "knows; install the version that made it (or a later one) to restore it"
        )


def _members(archive: tarfile.TarFile, prefix: str) -> Iterable[tarfile.TarInfo]:
    for member in archive.getmembers():
        if member.isfile() and member.name.startswith(prefix) and ".." not in member.name:
            yield member


def _extract_database(archive: tarfile.TarFile, work: Path) -> Path:
    for member in _members(archive, "database/"):
        target = work / Path(member.name).name
        target.write_bytes(_read(archive, member.name))
        return target
    raise BackupError("the archive holds no database")


def _load_database(dump: Path) -> None:
    """The whole database becomes the backup's: on PostgreSQL the schema is emptied first, so
    tables a later version added cannot survive beside an older backup."""
    if _dialect() == "sqlite":
        target = sqlite3.connect(str(make_url(db.engine.url).database))
        try:
            with sqlite3.connect(dump) as source:
                source.backup(target)
        finally:
            target.close()
        return
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    db.engine.dispose()
    _pg_tool("pg_restore", "--no-owner", "--single-transaction", str(dump))


def _restore_blobs(archive: tarfile.TarFile, stores: dict[str, BlobStore]) -> dict[str, int]:
    """Into the configured backend, committed every hundred blobs (a database store on SQLite
    writes in the session's transaction)."""
    counts = dict.fromkeys(stores, 0)
    members = [m for m in archive.getmembers() if m.isfile() and m.name.count("/") == 1]
    for start in range(0, len(members), 100):
        with unit_of_work(db.session):
            for member in members[start : start + 100]:
                store_name, _, digest = member.name.partition("/")
                if store_name not in stores:
                    continue
                data = _read(archive, member.name)
                if stores[store_name].put(data) != digest:
                    raise BackupError(f"{member.name} is damaged: its bytes do not match its name")
                counts[store_name] += 1
    return counts
