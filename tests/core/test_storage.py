"""The content-addressed blob store: what goes in comes out, once, wherever it was stored."""

import hashlib

import pytest

from helpdesk.core.storage import BlobStore


def test_same_bytes_are_stored_once_in_one_of_256_folders(tmp_path):
    store = BlobStore(tmp_path)
    digest = store.put(b"raw mail")
    assert store.put(b"raw mail") == digest == hashlib.sha256(b"raw mail").hexdigest()
    assert store.path(digest) == tmp_path / digest[:2] / digest
    assert store.get(digest) == b"raw mail"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [digest]


def test_blobs_in_the_earlier_two_level_layout_are_still_found(tmp_path):
    data = b"stored by an earlier version"
    digest = hashlib.sha256(data).hexdigest()
    legacy = tmp_path / digest[:2] / digest[2:4] / digest
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(data)
    store = BlobStore(tmp_path)
    assert store.path(digest) == legacy
    assert store.get(digest) == data


def test_a_name_that_is_not_a_digest_is_refused(tmp_path):
    with pytest.raises(ValueError):
        BlobStore(tmp_path).path("../../etc/passwd")


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
    digest = BlobStore(tmp_path).put(b"answered 250")
    folder = str(tmp_path / digest[:2])
    assert synced[-1] == folder
    assert any(path.startswith(f"{folder}/.tmp-") for path in synced)
    assert str(tmp_path) in synced  # the new folder's own name
