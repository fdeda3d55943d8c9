"""raw mail keyed by Message-ID and content

Revision ID: 3f1c0a9d2b7e
Revises: 3f1c2a9d7b40
Create Date: 2026-11-27 10:00:00

Deduplication now keys on the Message-ID plus a digest of the content (mail_ingest/dedup.py),
so a different message reusing a Message-ID is no longer dropped. Raw mail stored earlier was
keyed by the Message-ID alone: it gets the new key, computed from its stored bytes, so the same
mail arriving again after the upgrade (a re-import, a second transport) is still recognised.
The key function is copied here as it is today: a migration must not change with the code.
"""
import hashlib
import re
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op
from flask import current_app

revision = '3f1c0a9d2b7e'
down_revision = '3f1c2a9d7b40'
branch_labels = None
depends_on = None

_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def _dedup_key(data):
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(data[: 256 * 1024])
    found = _MESSAGE_ID.findall(str(headers.get("Message-ID", "")))
    digest = hashlib.sha256()
    for name in ("From", "Date", "Subject"):
        value = " ".join(str(headers.get(name, "")).split())
        digest.update(f"{name}:{value}\n".encode("utf-8", "surrogateescape"))
    digest.update(b"\n")
    end = _HEADER_END.search(data)
    body = data[end.end():] if end else b""
    digest.update(body.replace(b"\r\n", b"\n").rstrip(b"\r\n"))
    suffix = " " + digest.hexdigest()[:32]
    return (found[0] if found else "<>")[: 998 - len(suffix)] + suffix


def _raw_file(root, sha256):
    current = root / sha256[:2] / sha256
    legacy = root / sha256[:2] / sha256[2:4] / sha256
    return current if current.exists() or not legacy.exists() else legacy


def upgrade():
    if context.is_offline_mode():
        return  # rekeying reads the stored files: run it online
    root = Path(current_app.config["RAW_MAIL_DIR"])
    raw_mail = sa.table("raw_mail", sa.column("id", sa.Integer),
                        sa.column("dedup_key", sa.String), sa.column("sha256", sa.String))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(raw_mail.c.id, raw_mail.c.sha256).where(~raw_mail.c.dedup_key.contains(" "))
    ).all()
    for raw_id, sha256 in rows:
        path = _raw_file(root, sha256)
        if path.exists():  # a file gone missing keeps its old key: nothing to compare with
            connection.execute(raw_mail.update().where(raw_mail.c.id == raw_id)
                               .values(dedup_key=_dedup_key(path.read_bytes())))


def downgrade():
    raw_mail = sa.table("raw_mail", sa.column("id", sa.Integer), sa.column("dedup_key", sa.String))
    connection = op.get_bind()
    rows = connection.execute(sa.select(raw_mail.c.id, raw_mail.c.dedup_key)).all()
    seen = set()
    for raw_id, key in rows:  # back to the Message-ID alone where it is still unique
        old = key.partition(" ")[0]
        if old == "<>" or old in seen:
            continue
        seen.add(old)
        connection.execute(raw_mail.update().where(raw_mail.c.id == raw_id).values(dedup_key=old))
