"""One place decides where raw mail and attachments live: ``HELPDESK_BLOB_STORE``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .database_blobs import DatabaseBlobStore
from .storage import BlobStore, FolderBlobStore

BACKENDS = ("folder", "database")
# Each store's name (in the ``blobs`` table and in backups) and its folder's setting.
STORES = {"raw": "RAW_MAIL_DIR", "attachments": "ATTACHMENTS_DIR"}


def blob_store(config: Mapping[str, Any], name: str, backend: str | None = None) -> BlobStore:
    """The store ``name`` ('raw' or 'attachments') of the configured backend, or of
    ``backend`` when a migration names it. The database backend reads and writes through
    ``config["BLOB_SESSION"]``, the app's session (set by the app factory)."""
    if name not in STORES:
        raise ValueError(f"no blob store named {name!r}")
    chosen = backend or config["BLOB_STORE"]
    if chosen == "folder":
        return FolderBlobStore(config[STORES[name]])
    if chosen == "database":
        return DatabaseBlobStore(name, config["BLOB_SESSION"])
    raise ValueError(f"unknown blob store backend {chosen!r}")


def blob_stores(config: Mapping[str, Any], backend: str | None = None) -> dict[str, BlobStore]:
    """Every store of one backend, by name."""
    return {name: blob_store(config, name, backend) for name in STORES}
