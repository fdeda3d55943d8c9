"""Files sent with a reply or a note: checked, stored content-addressed like inbound ones."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import AttachmentError as AttachmentError
from ..errors import AttachmentsTooLarge, TooManyAttachments
from ..models import Attachment
from ..storage import BlobStore
from .outgoing_mail import OutgoingAttachment

MAX_FILES = 10


def check_attachments(files: Sequence[OutgoingAttachment], max_total_bytes: int) -> None:
    """Refuse what mail servers would refuse anyway, before anything is queued."""
    if len(files) > MAX_FILES:
        raise TooManyAttachments(MAX_FILES)
    total = sum(len(f.content) for f in files)
    if total > max_total_bytes:
        raise AttachmentsTooLarge(max_total_bytes // (1024 * 1024))


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
