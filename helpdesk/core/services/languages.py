"""The languages the helpdesk works in."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from sqlalchemy import select

from ..db_session import DbSession
from ..errors import LanguageAlreadyActive, LanguageNotDetectable
from ..errors import LanguageError as LanguageError
from ..models import AssignmentStrategy, Language
from .language_detection import supported_language_codes
from .sla import default_policy
from .sla_policies import SlaSettings, save_policy


@dataclass(frozen=True)
class LanguageSpec:
    code: str
    name: str
    english_name: str
    direction: str = "ltr"


# Names in their own script, as a liaison would want to read them.
BUILTIN_LANGUAGES = {
    spec.code: spec
    for spec in (
        LanguageSpec("ar", "العربية", "Arabic", "rtl"),
        LanguageSpec("fr", "Français", "French"),
        LanguageSpec("de", "Deutsch", "German"),
        LanguageSpec("hi", "हिन्दी", "Hindi"),
        LanguageSpec("ja", "日本語", "Japanese"),
        LanguageSpec("zh", "中文", "Chinese"),
        LanguageSpec("ru", "Русский", "Russian"),
        LanguageSpec("es", "Español", "Spanish"),
        LanguageSpec("pt", "Português", "Portuguese"),
        LanguageSpec("en", "English", "English"),
    )
}


def ensure_languages(session: DbSession, codes: list[str]) -> list[Language]:
    """Make sure each configured language exists; unknown codes get their code as a name."""
    existing = {lang.code: lang for lang in session.scalars(select(Language))}
    for code in codes:
        if code not in existing:
            spec = BUILTIN_LANGUAGES.get(code) or _spec_from_locale(code)
            existing[code] = Language(
                code=code,
                name=spec.name,
                english_name=spec.english_name,
                direction=spec.direction,
                sla_policy=default_policy(),
            )
            session.add(existing[code])
    session.flush()
    return [existing[code] for code in codes]


def active_languages(session: DbSession) -> list[Language]:
    return list(session.scalars(select(Language).where(Language.active).order_by(Language.code)))


def _spec_from_locale(code: str) -> LanguageSpec:
    """Names (own script and English) and direction from CLDR, via Babel."""
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return LanguageSpec(code, code, code)
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return LanguageSpec(code, locale.display_name or code, locale.english_name or code, direction)


def add_language(session: DbSession, code: str) -> Language:
    """A new language and queue. Only languages detection can recognise: a queue no mail can
    ever be routed to would only collect tickets by hand."""
    code = code.strip().lower()
    if code not in supported_language_codes():
        raise LanguageNotDetectable(code)
    existing = session.get(Language, code)
    if existing is not None:
        if existing.active:
            raise LanguageAlreadyActive(code)
        existing.active = True
        session.flush()
        return existing
    return ensure_languages(session, [code])[0]


@dataclass(frozen=True)
class QueueSettings:
    assignment_strategy: AssignmentStrategy
    sla: SlaSettings
    auto_acknowledge: bool
    active: bool = True


def update_queue(session: DbSession, language: Language, settings: QueueSettings) -> None:
    """How the queue assigns, what it promises (``SlaPolicyError`` when the policy is not
    valid, nothing changed), whether it acknowledges and takes new mail."""
    save_policy(session, language, settings.sla)
    language.assignment_strategy = AssignmentStrategy(settings.assignment_strategy)
    language.auto_acknowledge = settings.auto_acknowledge
    language.active = settings.active
    session.flush()


def all_languages(session: DbSession) -> list[Language]:
    """Active and inactive: what the admin page lists."""
    return list(session.scalars(select(Language).order_by(Language.code)))
