"""Content-addressed blobs for raw mail and attachments: written once, never edited. The
interface every backend offers, and the default backend: files in a folder, fsynced."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import BinaryIO, Protocol

_DIGEST = re.compile("[0-9a-f]{64}")


class BlobNotFound(LookupError):
    """No blob has this digest in this store (a row names bytes that are not there)."""


class BlobStore(Protocol):
    """Bytes named by their SHA-256: storing the same bytes twice costs nothing, and a blob is
    stored durably before ``put`` returns (the caller then writes the row that names it)."""

    def put(self, data: bytes, *, fsync: bool = True) -> str:
        """Store and return the digest. ``fsync=False``: the caller calls ``sync_all()`` once
        for a whole batch instead."""
        ...

    def get(self, digest: str) -> bytes:
        """The bytes; raises ``BlobNotFound``."""
        ...

    def open(self, digest: str) -> BinaryIO:
        """The bytes as a stream to read (a download); raises ``BlobNotFound``."""
        ...

    def exists(self, digest: str) -> bool: ...

    def delete(self, digest: str) -> None:
        """Forget the blob (nothing if it is not there). Call it only after the commit that
        removed the last row naming it (``after_commit``)."""
        ...

    def sync_all(self) -> None:
        """Make every ``put(..., fsync=False)`` so far durable."""
        ...


def check_digest(digest: str) -> str:
    """A digest that names a blob is 64 lowercase hex digits: never a path of anyone's choice."""
    if not _DIGEST.fullmatch(digest):
        raise ValueError("not a sha256 digest")
    return digest


class FolderBlobStore:
    """Files named by the SHA-256 of their bytes, so storing the same bytes twice costs nothing.

    One level of 256 folders: a second level (65,536 folders) made nearly every put of a bulk
    import pay for a mkdir, while a folder of a few thousand files costs modern filesystems
    nothing. Blobs stored under the earlier two-level layout are still found."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        """Where the file is (or would be): for this backend and its tests only."""
        check_digest(digest)
        current = self.root / digest[:2] / digest
        if current.exists():
            return current
        legacy = self.root / digest[:2] / digest[2:4] / digest
        return legacy if legacy.exists() else current

    def put(self, data: bytes, *, fsync: bool = True) -> str:
        """Store (temp file, fsync, atomic rename) and return the digest. A bulk import passes
        ``fsync=False`` and calls ``sync_all()`` once for the whole batch instead."""
        digest = hashlib.sha256(data).hexdigest()
        folder = f"{self.root}/{digest[:2]}"  # plain strings: puts come in bulk
        target = f"{folder}/{digest}"
        if os.path.exists(target):
            return digest
        fd, tmp = self._temp_file(folder, digest)
        try:
            try:
                unwritten = memoryview(data)
                while unwritten:
                    unwritten = unwritten[os.write(fd, unwritten) :]
                if fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if fsync:  # the rename too: without it a power cut can lose the name of a synced file
            _sync_folder(folder)
        return digest

    @staticmethod
    def _temp_file(folder: str, digest: str) -> tuple[int, str]:
        """A new temp file beside the target. A name of our own costs less than mkstemp's
        random one; if it is taken (another writer of the same bytes), mkstemp decides."""
        tmp = f"{folder}/.tmp-{digest[:16]}-{os.getpid()}-{threading.get_ident()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileNotFoundError:  # the first file in this folder: make it (not before: a
            os.makedirs(folder, exist_ok=True)  # mkdir that finds the folder costs a syscall)
            _sync_folder(os.path.dirname(folder))
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            return tempfile.mkstemp(dir=folder, prefix=".tmp-")

    def get(self, digest: str) -> bytes:
        with self.open(digest) as stream:
            return stream.read()

    def open(self, digest: str) -> BinaryIO:
        try:
            return self.path(digest).open("rb")
        except FileNotFoundError as error:
            raise BlobNotFound(digest) from error

    def exists(self, digest: str) -> bool:
        return self.path(digest).exists()

    def delete(self, digest: str) -> None:
        self.path(digest).unlink(missing_ok=True)

    @staticmethod
    def sync_all() -> None:
        """Flush everything written so far to disk: one call for a whole batch of puts."""
        os.sync()


def _sync_folder(folder: str) -> None:
    """Make a folder's entries (a new file's name) durable; a no-op where folders cannot be
    opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
