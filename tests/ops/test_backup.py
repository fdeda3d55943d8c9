"""Backup and restore: a consistent snapshot while mail arrives, and nothing lost coming back."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import threading
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select

from helpdesk.backup import BackupError, create_backup, restore_backup
from helpdesk.core.blob_stores import blob_store
from helpdesk.core.models import Attachment, Base, Blob, Message, RawMail, Ticket
from helpdesk.extensions import db

from ..factories import make_mail


def _mail_with_attachment(n: int) -> bytes:
    mail = message_from_bytes(
        make_mail(subject=f"Inscription {n}", body=f"Bonjour, voici le formulaire numéro {n}."),
        policy=policy.default,
    )
    mail.make_mixed()
    mail.add_attachment(f"pièce {n} ".encode() * 200, "application", "pdf", filename=f"f{n}.pdf")
    return mail.as_bytes()


def _counts(session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in (Ticket, Message, Attachment, RawMail)
    }


def _attachment_bytes(app, session) -> dict[str, bytes]:
    store = blob_store(app.config, "attachments")
    rows = session.scalars(select(Attachment)).all()
    return {row.filename: store.get(row.sha256) for row in rows}


def _wipe(app) -> None:
    db.session.remove()
    Base.metadata.drop_all(db.engine)
    for folder in ("RAW_MAIL_DIR", "ATTACHMENTS_DIR"):
        shutil.rmtree(app.config[folder], ignore_errors=True)


def test_restore_brings_back_every_row_and_every_byte(
    blob_backend, app, session, deliver, tmp_path
):
    for n in range(5):
        deliver(_mail_with_attachment(n))
    before, files = _counts(session), _attachment_bytes(app, session)
    archive = tmp_path / "helpdesk-backup.tar.gz"
    summary = create_backup(app, archive)
    assert summary.blobs == {"raw": 5, "attachments": 5} and summary.missing == []

    _wipe(app)
    restore_backup(app, archive)
    assert _counts(db.session) == before
    assert _attachment_bytes(app, db.session) == files
    raw = blob_store(app.config, "raw")
    assert all(raw.exists(r.sha256) for r in db.session.scalars(select(RawMail)))


def test_a_backup_taken_while_mail_arrives_is_consistent(
    blob_backend, app, session, deliver, tmp_path
):
    for n in range(3):
        deliver(_mail_with_attachment(n))
    stop, delivered = threading.Event(), []

    def arrive() -> None:
        n = 100
        while not stop.is_set() and n < 160:
            with app.app_context():
                delivered.append(deliver(_mail_with_attachment(n)))
            n += 1

    sender = threading.Thread(target=arrive)
    sender.start()
    try:
        archive = tmp_path / "busy.tar.gz"
        create_backup(app, archive)
    finally:
        stop.set()
        sender.join()
    assert delivered, "mail kept arriving during the backup"

    _wipe(app)
    restore_backup(app, archive)
    counts = _counts(db.session)
    assert 3 <= counts["tickets"] <= 3 + len(delivered)
    assert counts["attachments"] == counts["messages"] == counts["tickets"]
    files = _attachment_bytes(app, db.session)  # every file the restored rows name is there
    assert all(data.startswith("pièce".encode()) for data in files.values())


def test_a_backup_of_the_database_store_restores_into_folders(app, session, tmp_path):
    """Blobs are files in the archive whichever backend held them; the dump carries none."""
    from mail_ingest.pipeline import IngestContext, ingest

    app.config["BLOB_STORE"] = "database"
    context = IngestContext.from_config(app.config)
    for n in range(3):
        ingest(session, context, _mail_with_attachment(n), "test")
    files = _attachment_bytes(app, session)
    archive = tmp_path / "from-database.tar.gz"
    create_backup(app, archive)
    with tarfile.open(archive, "r:gz") as contents:
        names = contents.getnames()
    assert sum(name.startswith("attachments/") for name in names) == 3

    _wipe(app)
    app.config["BLOB_STORE"] = "folder"
    restore_backup(app, archive)
    assert _attachment_bytes(app, db.session) == files
    assert db.session.scalars(select(Blob)).all() == []
    raw = blob_store(app.config, "raw")
    assert all(raw.exists(r.sha256) for r in db.session.scalars(select(RawMail)))


def test_restore_refuses_a_backup_from_a_newer_schema(app, session, deliver, tmp_path):
    deliver(make_mail())
    archive = tmp_path / "newer.tar.gz"
    create_backup(app, archive)
    doctored = tmp_path / "doctored.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(doctored, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["schema"] = "ffffffffffff"
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="newer than this version"):
        restore_backup(app, doctored)
    assert _counts(session)["tickets"] == 1  # nothing was touched


def test_backup_and_restore_commands(app, runner, deliver, tmp_path):
    deliver(make_mail())
    archive = tmp_path / "cli.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    refused = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert refused.exit_code != 0
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 1
