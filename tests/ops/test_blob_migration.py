"""``helpdesk blobs migrate``: every blob the database names moves to the other backend,
verified, byte for byte, and a second run (or a run that stopped half-way) finishes the job."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from sqlalchemy import func, select

from helpdesk.core.blob_stores import blob_stores
from helpdesk.core.models import Blob
from helpdesk.core.services.blob_migration import copy_blobs, named_blobs
from helpdesk.core.storage import FolderBlobStore

from .test_backup import _mail_with_attachment


def _folder_files(app) -> dict[str, bytes]:
    files = {}
    for folder in ("RAW_MAIL_DIR", "ATTACHMENTS_DIR"):
        root = app.config[folder]
        files.update(
            {
                str(p.relative_to(root.parent)): p.read_bytes()
                for p in root.rglob("*")
                if p.is_file()
            }
        )
    return files


@pytest.fixture(autouse=True)
def start_in_folders(app):
    """Whatever backend the suite runs with (TEST_BLOB_STORE), these start in folders."""
    app.config["BLOB_STORE"] = "folder"


@pytest.fixture
def mail(app, deliver):
    """Four mails, two of them with the same attachment: 4 raw blobs, 3 attachment blobs."""
    for n in (1, 2, 3, 1):
        assert deliver(_mail_with_attachment(n)).ticket_id is not None
    return 7


def test_folder_to_database_and_back_is_byte_identical(app, runner, session, mail):
    before = _folder_files(app)
    assert len(before) == mail

    result = runner.invoke(args=["blobs", "migrate", "--to", "database"])
    assert result.exit_code == 0, result.output
    assert f"{mail} blob(s) copied from folder to database, 0 already there" in result.output
    assert f"{mail}/{mail} blobs" in result.output  # the progress count
    assert "set HELPDESK_BLOB_STORE=database" in result.output
    rows = {b.sha256: b.data for b in session.scalars(select(Blob))}
    assert sorted(rows.values()) == sorted(before.values())
    assert all(hashlib.sha256(data).hexdigest() == digest for digest, data in rows.items())

    app.config["BLOB_STORE"] = "database"
    for folder in ("RAW_MAIL_DIR", "ATTACHMENTS_DIR"):
        shutil.rmtree(app.config[folder])
    result = runner.invoke(args=["blobs", "migrate", "--to", "folder"])
    assert result.exit_code == 0, result.output
    assert f"{mail} blob(s) copied from database to folder" in result.output
    assert _folder_files(app) == before


def test_a_second_run_copies_nothing_again(app, runner, session, mail):
    runner.invoke(args=["blobs", "migrate", "--to", "database"])
    again = runner.invoke(args=["blobs", "migrate", "--to", "database"])
    assert again.exit_code == 0, again.output
    assert f"0 blob(s) copied from folder to database, {mail} already there" in again.output
    assert session.scalar(select(func.count()).select_from(Blob)) == mail


def test_a_run_that_stopped_half_way_resumes(app, runner, session, mail, monkeypatch):
    puts = []
    real_put = FolderBlobStore.put

    def put_then_crash(self, data, *, fsync=True):
        if len(puts) == 3:
            raise OSError("no space left on device")
        puts.append(data)
        return real_put(self, data, fsync=fsync)

    app.config["BLOB_STORE"] = "database"
    runner.invoke(args=["blobs", "migrate", "--to", "database"])  # from the folders
    for folder in ("RAW_MAIL_DIR", "ATTACHMENTS_DIR"):
        shutil.rmtree(app.config[folder])
    monkeypatch.setattr(FolderBlobStore, "put", put_then_crash)
    crashed = runner.invoke(args=["blobs", "migrate", "--to", "folder", "--chunk", "2"])
    assert isinstance(crashed.exception, OSError)
    monkeypatch.undo()
    resumed = runner.invoke(args=["blobs", "migrate", "--to", "folder"])
    assert resumed.exit_code == 0, resumed.output
    assert f"{mail - 3} blob(s) copied from database to folder, 3 already there" in resumed.output


def test_damaged_and_missing_blobs_are_reported_never_copied(app, session, runner, mail):
    blobs = named_blobs(session)
    folders = blob_stores(app.config, "folder")
    (_, damaged), (_, missing) = blobs[0], blobs[1]
    folders["raw"].path(damaged).write_bytes(b"not what was stored")
    folders["raw"].delete(missing)
    session.rollback()

    result = runner.invoke(args=["blobs", "migrate", "--to", "database"])
    assert result.exit_code == 1
    assert f"missing from the folder store: raw/{missing}" in result.output
    assert f"damaged (bytes do not match the name), not copied: raw/{damaged}" in result.output
    stored = set(session.scalars(select(Blob.sha256)))
    assert damaged not in stored and missing not in stored and len(stored) == mail - 2


def test_copy_blobs_takes_what_the_target_lacks(app, session, mail):
    blobs = named_blobs(session)
    assert len(blobs) == mail == len(set(blobs))
    report = copy_blobs(
        blobs[:2], blob_stores(app.config, "folder"), blob_stores(app.config, "database")
    )
    assert (report.copied, report.present, report.missing, report.damaged) == (2, 0, [], [])
