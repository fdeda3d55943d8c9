"""Signing in: the password check behind throttling per account and per client address.

Failures live in the database (shared by every worker and machine) for one window. Five
failures for an email within it lock that email for the rest of the window; twenty from one
address throttle the address. Emails no account has are counted and locked alike, so the
answers never tell whether an account exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..db_session import DbSession
from ..errors import SignInLocked, SignInRefused, WrongCredentials
from ..models import AuditAction, SignInFailure, User
from .audit import record_audit

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass(frozen=True)
class SignInResult:
    """The user whose password matched, or why not (a refusal to show, never raised)."""

    user: User | None = None
    refusal: SignInRefused | None = None


def account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def check_password(
    session: DbSession, email: str, password: str, address: str | None, now: datetime
) -> SignInResult:
    """The first step of signing in. A locked email or throttled address is refused before
    the password is looked at; each failure is recorded and audited in the caller's
    transaction (commit it, whatever the result)."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if is_locked(session, email, address, now):
        audit_failure(session, email, user, "locked")
        return SignInResult(refusal=SignInLocked(_minutes(WINDOW)))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)  # the same time either way: no enumeration
        return record_failure(session, email, user, address, now, "password")
    if not check_password_hash(user.password_hash, password):
        return record_failure(session, email, user, address, now, "password")
    return SignInResult(user=user)


def is_locked(session: DbSession, email: str, address: str | None, now: datetime) -> bool:
    since = now - WINDOW
    by_account = session.scalar(
        select(func.count(SignInFailure.id)).where(
            SignInFailure.account_key == account_key(email), SignInFailure.created_at > since
        )
    )
    if (by_account or 0) >= MAX_FAILURES_PER_ACCOUNT:
        return True
    if address is None:
        return False
    by_address = session.scalar(
        select(func.count(SignInFailure.id)).where(
            SignInFailure.address == address, SignInFailure.created_at > since
        )
    )
    return (by_address or 0) >= MAX_FAILURES_PER_ADDRESS


def record_failure(
    session: DbSession,
    email: str,
    user: User | None,
    address: str | None,
    now: datetime,
    reason: str,
) -> SignInResult:
    """Count a failed password or second-factor code; the failure that reaches the limit locks
    the account (audited as such). Rows older than the window are swept here."""
    session.execute(delete(SignInFailure).where(SignInFailure.created_at <= now - WINDOW))
    session.add(SignInFailure(account_key=account_key(email), address=address, created_at=now))
    session.flush()
    audit_failure(session, email, user, reason)
    if is_locked(session, email, None, now):
        record_audit(
            session,
            None,
            AuditAction.ACCOUNT_LOCKED,
            target=user if user is not None else None,
            after={**_who(email, user), "minutes": _minutes(WINDOW)},
        )
    return SignInResult(refusal=WrongCredentials())


def audit_failure(session: DbSession, email: str, user: User | None, reason: str) -> None:
    """Staff are named; an address that is no account (a requester's, a typo) only as a digest."""
    record_audit(
        session,
        None,
        AuditAction.SIGN_IN_FAILED,
        target=user,
        after={**_who(email, user), "reason": reason},
    )


def _who(email: str, user: User | None) -> dict[str, str]:
    if user is not None:
        return {"email": user.email}
    return {"email_digest": account_key(email)[:16]}


def clear_failures(session: DbSession, email: str) -> None:
    """A successful sign-in (or reset) forgives the account's failures, not the address's."""
    session.execute(delete(SignInFailure).where(SignInFailure.account_key == account_key(email)))


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)
