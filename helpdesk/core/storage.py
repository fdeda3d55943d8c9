"""Content-addressed files for raw mail and attachments: written once, fsynced, never edited."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class BlobStore:
    """Files named by the SHA-256 of their bytes, so storing the same bytes twice costs nothing."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError("not a sha256 digest")
        return self.root / digest[:2] / digest[2:4] / digest

    def put(self, data: bytes, *, fsync: bool = True) -> str:
        """Store (temp file, fsync, atomic rename) and return the digest. A bulk import passes
        ``fsync=False`` and calls ``sync_all()`` once for the whole batch instead."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                if fsync:
                    os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()

    @staticmethod
    def sync_all() -> None:
        """Flush everything written so far to disk: one call for a whole batch of puts."""
        os.sync()
