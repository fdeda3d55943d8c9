"""The content-addressed blob store: what goes in comes out, once, whichever backend holds it."""

import hashlib
import threading

import pytest
from sqlalchemy import func, select, text

from helpdesk.core.blob_stores import blob_store
from helpdesk.core.models import Blob
from helpdesk.core.storage import BlobNotFound, FolderBlobStore
from helpdesk.core.unit_of_work import unit_of_work

# --- the contract, on both backends -----------------------------------------------------------


@pytest.fixture
def store(blob_backend, app, session):
    return blob_store(app.config, "attachments")


def test_the_same_bytes_are_stored_once(store, blob_backend, app, session):
    with unit_of_work(session):
        digest = store.put(b"attached form")
        assert store.put(b"attached form") == digest
    assert digest == hashlib.sha256(b"attached form").hexdigest()
    assert store.exists(digest) and store.get(digest) == b"attached form"
    with store.open(digest) as stream:
        assert stream.read() == b"attached form"
    if blob_backend == "database":
        assert session.scalar(select(func.count()).select_from(Blob)) == 1
    else:
        files = [p for p in app.config["ATTACHMENTS_DIR"].rglob("*") if p.is_file()]
        assert [p.name for p in files] == [digest]


def test_what_is_not_there_is_not_found(store):
    absent = hashlib.sha256(b"never stored").hexdigest()
    assert not store.exists(absent)
    with pytest.raises(BlobNotFound):
        store.get(absent)
    with pytest.raises(BlobNotFound):
        store.open(absent)
    store.delete(absent)  # nothing to delete is no error


def test_delete_forgets_the_bytes(store, session):
    with unit_of_work(session):
        digest = store.put(b"quarantined")
    store.delete(digest)
    session.rollback()  # a fresh transaction: what another request would see
    assert not store.exists(digest)
    with pytest.raises(BlobNotFound):
        store.get(digest)


def test_stores_are_separate(blob_backend, app, session):
    raw, attachments = blob_store(app.config, "raw"), blob_store(app.config, "attachments")
    with unit_of_work(session):
        digest = raw.put(b"Subject: hello\r\n\r\n")
    assert raw.exists(digest) and not attachments.exists(digest)


@pytest.mark.parametrize("name", ["../../etc/passwd", "A" * 64, "ab" * 31])
def test_a_name_that_is_not_a_digest_is_refused(store, name):
    for method in (store.get, store.exists, store.delete, store.open):
        with pytest.raises(ValueError):
            method(name)


def test_an_empty_blob_is_a_blob(store, session):
    with unit_of_work(session):
        digest = store.put(b"")
    assert store.get(digest) == b""


# --- the database backend: when a put is durable ------------------------------------------------


def test_a_database_put_is_durable_no_later_than_the_row_that_names_it(app, session):
    """PostgreSQL: committed on its own connection before put returns, like the fsynced file,
    so even a caller that rolls back leaves it (garbage, never a loss). SQLite: in the caller's
    transaction (a second connection would wait for it), so it commits with the row."""
    app.config["BLOB_STORE"] = "database"
    store = blob_store(app.config, "raw")
    session.execute(text("SELECT 1"))  # the caller's transaction is open
    digest = store.put(b"answered 250")
    session.rollback()
    survived = store.exists(digest)
    assert survived == (session.get_bind().dialect.name == "postgresql")


def test_database_puts_of_the_same_bytes_do_not_wait_for_each_other(app, session):
    """Two workers storing one signature logo: on PostgreSQL neither waits for the other's
    transaction. (On SQLite one writer at a time is the rule anyway.)"""
    app.config["BLOB_STORE"] = "database"
    if session.get_bind().dialect.name != "postgresql":
        store = blob_store(app.config, "attachments")
        with unit_of_work(session):
            assert store.put(b"logo") == store.put(b"logo")
        return
    store = blob_store(app.config, "attachments")
    session.execute(text("SELECT 1"))
    store.put(b"logo")  # the test's transaction stays open
    done = threading.Event()

    def other_worker():
        with app.app_context():
            blob_store(app.config, "attachments").put(b"logo")
            done.set()

    thread = threading.Thread(target=other_worker)
    thread.start()
    thread.join(timeout=10)
    session.rollback()
    assert done.is_set()


# --- the folder backend: layout and durability ----------------------------------------------------


def test_folder_blobs_are_spread_over_256_folders(tmp_path):
    store = FolderBlobStore(tmp_path)
    digest = store.put(b"raw mail")
    assert store.path(digest) == tmp_path / digest[:2] / digest


def test_blobs_in_the_earlier_two_level_layout_are_still_found(tmp_path):
    data = b"stored by an earlier version"
    digest = hashlib.sha256(data).hexdigest()
    legacy = tmp_path / digest[:2] / digest[2:4] / digest
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(data)
    store = FolderBlobStore(tmp_path)
    assert store.path(digest) == legacy
    assert store.get(digest) == data
    store.delete(digest)
    assert not legacy.exists()


def test_a_stored_file_and_its_name_are_synced(tmp_path, monkeypatch):
    """A raw mail is answered 250 once stored: after a power cut both its bytes and its name
    in the folder must still be there, so the folder is synced after the rename."""
    import os

    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    digest = FolderBlobStore(tmp_path).put(b"answered 250")
    folder = str(tmp_path / digest[:2])
    assert synced[-1] == folder
    assert any(path.startswith(f"{folder}/.tmp-") for path in synced)
    assert str(tmp_path) in synced  # the new folder's own name
