"""Staff accounts: creation and password checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import available_timezones

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..db_session import DbSession
from ..errors import (
    EmailTaken,
    InterfaceLanguageUnknown,
    InvalidEmail,
    PasswordTooShort,
    ReturnDateInPast,
    TimeZoneUnknown,
    UnknownLanguages,
)
from ..errors import UserError as UserError
from ..models import Language, Role, User


@dataclass(frozen=True)
class NewUser:
    email: str
    name: str
    password: str
    role: Role = Role.LIAISON
    languages: tuple[str, ...] = field(default_factory=tuple)


MIN_PASSWORD_LENGTH = 10


def create_user(session: DbSession, new: NewUser) -> User:
    """Create an active account; refuses a duplicate email, a short password, unknown languages."""
    email = new.email.strip().lower()
    if "@" not in email:
        raise InvalidEmail(new.email)
    if len(new.password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(MIN_PASSWORD_LENGTH)
    if find_user_by_email(session, email) is not None:
        raise EmailTaken(email)
    languages = [session.get(Language, code) for code in new.languages]
    unknown = [code for code, lang in zip(new.languages, languages, strict=True) if lang is None]
    if unknown:
        raise UnknownLanguages(tuple(unknown))
    user = User(
        email=email,
        name=new.name.strip() or email.split("@")[0],
        password_hash=generate_password_hash(new.password),
        role=new.role,
        languages=[lang for lang in languages if lang is not None],
    )
    session.add(user)
    session.flush()
    return user


def find_user_by_email(session: DbSession, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(session: DbSession, email: str, password: str) -> User | None:
    """The active user with that email and password, or None (same answer for either mistake)."""
    user = find_user_by_email(session, email)
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)  # spend the same time: no user enumeration
        return None
    return user if check_password_hash(user.password_hash, password) else None


_DUMMY_HASH = generate_password_hash("not-a-real-password")


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
