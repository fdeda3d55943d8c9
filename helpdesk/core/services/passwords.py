"""The password policy and every way a password is set: changed, reset by a mailed link."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..db_session import DbSession
from ..errors import PasswordTooShort, PasswordTooWeak, ResetLinkInvalid, WrongPassword
from ..models import AuditAction, PasswordResetToken, User
from .audit import record_audit

MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3  # zxcvbn's "safely unguessable": about 10^8 guesses and more
# zxcvbn's matching grows fast with length and refuses past 72 characters; a strong start is
# strong enough, and the whole password is still what gets hashed.
_ESTIMATED_PREFIX = 72
RESET_LINK_LIFETIME = timedelta(hours=1)
MAX_RESET_MAILS_PER_HOUR = 3  # nobody's mailbox is flooded through the "forgot" form


def check_password_strength(password: str, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a password under 10 characters or easy to guess (zxcvbn score under 3), counting
    the person's own name and address (``user_inputs``) as the first things an attacker tries.
    Raises ``PasswordTooShort`` or ``PasswordTooWeak`` with zxcvbn's reasons."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(MIN_PASSWORD_LENGTH)
    verdict = zxcvbn(password[:_ESTIMATED_PREFIX], user_inputs=_words(user_inputs))
    if verdict["score"] < MIN_PASSWORD_SCORE:
        feedback = verdict["feedback"]
        raise PasswordTooWeak(
            verdict["score"],
            MIN_PASSWORD_SCORE,
            feedback.get("warning") or "",
            tuple(feedback.get("suggestions") or ()),
        )


def _words(user_inputs: Iterable[str]) -> list[str]:
    """Each input and its parts: "Ada Lovelace <ada.l@example.org>" gives "ada", "lovelace"…"""
    words: list[str] = []
    for text in user_inputs:
        text = text.strip().lower()
        if not text:
            continue
        words.append(text)
        words += [part for part in _split(text) if len(part) > 2]
    return words


def _split(text: str) -> list[str]:
    for separator in "@._-+":
        text = text.replace(separator, " ")
    return text.split()


def user_inputs_of(user: User) -> tuple[str, ...]:
    return (user.name, user.email)


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def _set_password(user: User, password: str) -> None:
    """The policy holds, the hash changes and every existing session of the user ends."""
    check_password_strength(password, user_inputs_of(user))
    user.password_hash = hash_password(password)
    user.session_epoch += 1


def change_password(session: DbSession, user: User, current: str, new: str) -> None:
    """The signed-in user's change: the current password proves it is them, not a borrowed
    browser. Other sessions end (the caller re-signs this one in)."""
    if not check_password_hash(user.password_hash, current):
        raise WrongPassword()
    _set_password(user, new)
    record_audit(session, user, AuditAction.PASSWORD_CHANGED, target=user)
    session.flush()


def request_password_reset(
    session: DbSession, email: str, now: datetime
) -> tuple[User, str] | None:
    """A new one-time link's token for the active account with this email, to mail to it; None
    when there is no such account (the caller answers the same either way) or when it already
    had its share of mails this hour. Only the token's digest is stored."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        return None
    recent = session.scalar(
        select(func.count(PasswordResetToken.id)).where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.created_at > now - timedelta(hours=1),
        )
    )
    if (recent or 0) >= MAX_RESET_MAILS_PER_HOUR:
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_digest(token),
            created_at=now,
            expires_at=now + RESET_LINK_LIFETIME,
        )
    )
    record_audit(session, None, AuditAction.PASSWORD_RESET_REQUESTED, target=user)
    session.flush()
    return user, token


def user_for_reset(session: DbSession, token: str, now: datetime) -> User:
    """The account a reset link is for, if the link is unused, unexpired and the account active."""
    row = session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _digest(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise ResetLinkInvalid()
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise ResetLinkInvalid()
    return user


def reset_password(session: DbSession, token: str, new: str, now: datetime) -> User:
    """Set the password through a mailed link: the link (and every other of the user's links)
    is spent, every session ends, and the account's failed sign-ins are forgiven."""
    from .sign_in import clear_failures

    user = user_for_reset(session, token, now)
    _set_password(user, new)
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    clear_failures(session, user.email)
    record_audit(session, user, AuditAction.PASSWORD_RESET, target=user)
    session.flush()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
