"""Staff accounts: creation and password checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import available_timezones

from sqlalchemy import func, select

from ..db_session import DbSession
from ..errors import (
    EmailTaken,
    InterfaceLanguageUnknown,
    InvalidEmail,
    ReturnDateInPast,
    TimeZoneUnknown,
    UnknownLanguages,
)
from ..errors import UserError as UserError
from ..models import AuditAction, Language, Role, User
from .audit import record_audit
from .passwords import MIN_PASSWORD_LENGTH as MIN_PASSWORD_LENGTH
from .passwords import check_password_strength, hash_password


@dataclass(frozen=True)
class NewUser:
    email: str
    name: str
    password: str
    role: Role = Role.LIAISON
    languages: tuple[str, ...] = field(default_factory=tuple)


def create_user(session: DbSession, new: NewUser) -> User:
    """Create an active account; refuses a duplicate email, a password the policy refuses
    (too short, easy to guess), unknown languages."""
    email = new.email.strip().lower()
    if "@" not in email:
        raise InvalidEmail(new.email)
    check_password_strength(new.password, (new.name, email))
    if find_user_by_email(session, email) is not None:
        raise EmailTaken(email)
    languages = [session.get(Language, code) for code in new.languages]
    unknown = [code for code, lang in zip(new.languages, languages, strict=True) if lang is None]
    if unknown:
        raise UnknownLanguages(tuple(unknown))
    user = User(
        email=email,
        name=new.name.strip() or email.split("@")[0],
        password_hash=hash_password(new.password),
        role=new.role,
        languages=[lang for lang in languages if lang is not None],
    )
    session.add(user)
    session.flush()
    return user


def find_user_by_email(session: DbSession, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def revoke_sessions(session: DbSession, user: User) -> None:
    """Sign the user out everywhere: every session cookie made before now stops naming them."""
    user.session_epoch += 1
    record_audit(session, user, AuditAction.SESSIONS_REVOKED, target=user)
    session.flush()


def set_away(user: User, away: bool, until: datetime | None, now: datetime) -> None:
    """Away liaisons get no new tickets; with a return date they are back by themselves."""
    if away and until is not None and until <= now:
        raise ReturnDateInPast()
    user.away = away
    user.away_until = until if away else None


def time_zone_names() -> list[str]:
    """The IANA zones a person may choose, sorted; the legacy aliases (``US/Eastern``…) too,
    since browsers still report some of them."""
    return sorted(_ZONES)


def set_interface_language(user: User, code: str | None, offered: list[str]) -> None:
    """The language of the pages and mail this person reads; None follows the browser."""
    if code is not None and code not in offered:
        raise InterfaceLanguageUnknown(code)
    user.locale = code


def set_time_zone(user: User, name: str) -> None:
    """Dates and times are shown to this person in ``name`` (an IANA zone, never an offset)."""
    if name not in _ZONES:
        raise TimeZoneUnknown(name)
    user.timezone = name


# "localtime" is the server's clock and "Factory" a placeholder: neither is a place.
_ZONES = frozenset(available_timezones() - {"localtime", "Factory"})


def assignable_users(session: DbSession) -> list[User]:
    """Active staff a ticket can be given to, by name."""
    return list(session.scalars(select(User).where(User.active).order_by(User.name, User.id)))
