"""Staff administration: invitations, roles, languages, away, deactivation; each change audited.

Accounts are never deleted: tickets, notes and the audit log keep naming who did what."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..db_session import DbSession
from ..errors import (
    CannotDeactivateSelf,
    EmailTaken,
    InvalidEmail,
    InvitationExpired,
    InvitationInvalid,
    InvitationUsed,
    LastAdminError,
    UnknownLanguages,
)
from ..models import AuditAction, Invitation, Language, OutboxMail, Role, User
from .account_mail import queue_notice
from .audit import changed_fields, record_audit
from .outgoing_mail import MailSettings
from .users import NewUser, create_user, find_user_by_email, set_away

INVITATION_LIFETIME = timedelta(hours=72)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _languages(session: DbSession, codes: tuple[str, ...]) -> list[Language]:
    found = [session.get(Language, code) for code in codes]
    unknown = tuple(code for code, lang in zip(codes, found, strict=True) if lang is None)
    if unknown:
        raise UnknownLanguages(unknown)
    return [lang for lang in found if lang is not None]


def invite_user(
    session: DbSession,
    actor: User,
    email: str,
    role: Role,
    languages: tuple[str, ...],
    now: datetime,
) -> tuple[Invitation, str]:
    """A new invitation and its token (shown once, in the mail: only its hash is kept). A new
    invitation for the same address replaces the unused ones."""
    email = email.strip().lower()
    if "@" not in email or any(c.isspace() for c in email):
        raise InvalidEmail(email)
    if find_user_by_email(session, email) is not None:
        raise EmailTaken(email)
    _languages(session, languages)
    for old in session.scalars(
        select(Invitation).where(
            func.lower(Invitation.email) == email, Invitation.used_at.is_(None)
        )
    ):
        old.expires_at = min(old.expires_at, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        role=role,
        languages=",".join(languages),
        token_hash=_token_hash(token),
        expires_at=now + INVITATION_LIFETIME,
        invited_by=actor,
    )
    session.add(invitation)
    session.flush()
    record_audit(
        session,
        actor,
        AuditAction.USER_INVITED,
        target=invitation,
        after={"email": email, "role": str(role), "languages": list(languages)},
    )
    return invitation, token


def queue_invitation_mail(
    session: DbSession,
    invitation: Invitation,
    subject: str,
    text: str,
    settings: MailSettings,
    language: str | None,
) -> OutboxMail:
    """The invitation leaves through the outbox (after the commit, with retries), like any mail."""
    return queue_notice(session, invitation.email, "", language, subject, text, settings)


def pending_invitation(session: DbSession, token: str, now: datetime) -> Invitation:
    """The invitation behind a link, if it can still be used; a typed refusal otherwise."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None:
        raise InvitationInvalid()
    if invitation.used_at is not None:
        raise InvitationUsed()
    if invitation.expires_at <= now:
        raise InvitationExpired()
    return invitation


def accept_invitation(
    session: DbSession, token: str, name: str, password: str, now: datetime
) -> User:
    """Create the account the invitation describes; the link cannot be used again."""
    invitation = pending_invitation(session, token, now)
    codes = tuple(code for code in invitation.languages.split(",") if code)
    user = create_user(
        session, NewUser(invitation.email, name, password, Role(invitation.role), codes)
    )
    invitation.used_at = now
    invitation.user_id = user.id
    record_audit(
        session,
        user,
        AuditAction.USER_CREATED,
        target=user,
        after={"email": user.email, "role": user.role, "invitation": invitation.id},
    )
    session.flush()
    return user


@dataclass(frozen=True)
class StaffChanges:
    name: str
    role: Role
    languages: tuple[str, ...]
    away: bool
    away_until: datetime | None


def _snapshot(user: User) -> dict[str, object]:
    return {
        "name": user.name,
        "languages": sorted(user.language_codes),
        "away": user.away,
        "away_until": user.away_until,
    }


def update_staff(
    session: DbSession, actor: User, user: User, changes: StaffChanges, now: datetime
) -> None:
    """Role (audited as a role change), and name, languages and away (audited together)."""
    if changes.role != user.role:
        if user.role == Role.ADMIN:
            _keep_an_admin(session, user)
        record_audit(
            session,
            actor,
            AuditAction.ROLE_CHANGED,
            target=user,
            before={"role": user.role},
            after={"role": str(changes.role)},
        )
        user.role = changes.role
    before = _snapshot(user)
    user.name = changes.name.strip() or user.name
    user.languages = _languages(session, changes.languages)
    set_away(user, changes.away, changes.away_until, now)
    old, new = changed_fields(
        {k: str(v) for k, v in before.items()}, {k: str(v) for k, v in _snapshot(user).items()}
    )
    if new:
        record_audit(
            session,
            actor,
            AuditAction.USER_CHANGED,
            target=user,
            before={k: before[k] for k in old},
            after={k: _snapshot(user)[k] for k in new},
        )
    session.flush()


def set_staff_active(session: DbSession, actor: User, user: User, active: bool) -> None:
    """Deactivated staff cannot sign in and are given no tickets; their history stays."""
    if active == user.active:
        return
    if not active:
        if user.id == actor.id:
            raise CannotDeactivateSelf()
        if user.role == Role.ADMIN:
            _keep_an_admin(session, user)
    user.active = active
    action = AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED
    record_audit(
        session, actor, action, target=user, before={"active": not active}, after={"active": active}
    )
    session.flush()


def _keep_an_admin(session: DbSession, leaving: User) -> None:
    """Refuse a change that would leave no other active admin. Rows are locked on PostgreSQL,
    so two admins demoting each other at once cannot both succeed."""
    others = session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN, User.active, User.id != leaving.id)
        .with_for_update()
    ).all()
    if not others:
        raise LastAdminError()


def staff_list(session: DbSession) -> list[User]:
    """Everyone, active first, by name."""
    return list(session.scalars(select(User).order_by(User.active.desc(), User.name, User.id)))


def pending_invitations(session: DbSession, now: datetime) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.used_at.is_(None), Invitation.expires_at > now)
            .order_by(Invitation.created_at.desc())
        )
    )
