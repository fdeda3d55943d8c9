"""Liaisons' signatures: one per language, appended to replies in that language."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from ..db_session import DbSession
from ..errors import SignatureError as SignatureError
from ..errors import SignatureLanguageNotWorked, SignatureTooLong
from ..models import Signature, User

MAX_SIGNATURE_CHARS = 2_000
# The usenet delimiter: mail clients recognise what follows as a signature and fold it.
SIGNATURE_DELIMITER = "-- "


def signatures_of(session: DbSession, user: User) -> dict[str, str]:
    """``{language code: body}`` for every signature ``user`` has written."""
    rows = session.scalars(select(Signature).where(Signature.user_id == user.id))
    return {row.language_code: row.body for row in rows}


def signature_for(session: DbSession, user: User, language_code: str | None) -> str:
    """The signature for a reply in ``language_code``; empty when there is none."""
    if language_code is None:
        return ""
    body = session.scalar(
        select(Signature.body).where(
            Signature.user_id == user.id, Signature.language_code == language_code
        )
    )
    return body or ""


def save_signatures(session: DbSession, user: User, bodies: Mapping[str, str]) -> None:
    """Set ``user``'s signature for each language in ``bodies``; an empty body removes it.
    Only the languages the user answers in can have one."""
    allowed = user.language_codes
    existing = {
        row.language_code: row
        for row in session.scalars(select(Signature).where(Signature.user_id == user.id))
    }
    for code, raw in bodies.items():
        if code not in allowed:
            raise SignatureLanguageNotWorked(code)
        body = raw.replace("\r\n", "\n").strip()
        if len(body) > MAX_SIGNATURE_CHARS:
            raise SignatureTooLong(MAX_SIGNATURE_CHARS)
        row = existing.get(code)
        if not body:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(Signature(user_id=user.id, language_code=code, body=body))
        else:
            row.body = body
    session.flush()


def with_signature(body: str, signature: str) -> str:
    """``body`` signed with ``signature`` below the standard delimiter (unless already signed)."""
    if not signature or body.endswith(signature):
        return body
    return f"{body}\n\n{SIGNATURE_DELIMITER}\n{signature}"
