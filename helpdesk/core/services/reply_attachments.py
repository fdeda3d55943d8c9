"""Files sent with a reply or a note: checked, stored content-addressed like inbound ones."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Attachment
from ..storage import BlobStore
from .outgoing_mail import OutgoingAttachment

MAX_FILES = 10


class AttachmentError(ValueError):
    """The files cannot be sent as given; the message says why."""


def check_attachments(files: Sequence[OutgoingAttachment], max_total_bytes: int) -> None:
    """Refuse what mail servers would refuse anyway, before anything is queued."""
    if len(files) > MAX_FILES:
        raise AttachmentError(f"at most {MAX_FILES} files can be attached")
    total = sum(len(f.content) for f in files)
    if total > max_total_bytes:
        megabytes = max_total_bytes // (1024 * 1024)
        raise AttachmentError(f"the attachments are larger than {megabytes} MB together")


def stored_attachments(
    store: BlobStore | None, files: Sequence[OutgoingAttachment]
) -> list[Attachment]:
    """Attachment rows for ``files``, their bytes written to ``store`` (once per content)."""
    if not files:
        return []
    if store is None:
        raise ValueError("attachments need a store")
    return [
        Attachment(
            filename=f.filename,
            content_type=f.content_type,
            size=len(f.content),
            sha256=store.put(f.content),
        )
        for f in files
    ]
