"""The languages the helpdesk works in."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from babel import Locale, UnknownLocaleError
from sqlalchemy import select

from ..db_session import DbSession
from ..errors import LanguageAlreadyActive, LanguageNotDetectable
from ..errors import LanguageError as LanguageError
from ..models import AssignmentStrategy, AuditAction, Language, User
from .audit import changed_fields, record_audit
from .language_detection import supported_language_codes
from .sla import default_policy
from .sla_policies import SlaSettings, save_policy, settings_of


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


def add_language(session: DbSession, code: str, actor: User | None = None) -> Language:
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
        language = existing
    else:
        language = ensure_languages(session, [code])[0]
    record_audit(session, actor, AuditAction.LANGUAGE_ADDED, target_type="language", target_id=code)
    session.flush()
    return language


@dataclass(frozen=True)
class QueueSettings:
    assignment_strategy: AssignmentStrategy
    sla: SlaSettings
    auto_acknowledge: bool
    active: bool = True


def update_queue(
    session: DbSession, language: Language, settings: QueueSettings, actor: User | None = None
) -> None:
    """How the queue assigns, what it promises (``SlaPolicyError`` when the policy is not
    valid, nothing changed), whether it acknowledges and takes new mail."""
    before = _queue_state(language)
    save_policy(session, language, settings.sla)
    language.assignment_strategy = AssignmentStrategy(settings.assignment_strategy)
    language.auto_acknowledge = settings.auto_acknowledge
    language.active = settings.active
    changes = changed_fields(before, _queue_state(language))
    if changes[1]:
        record_audit(
            session,
            actor,
            AuditAction.LANGUAGE_CHANGED,
            target_type="language",
            target_id=language.code,
            before=changes[0],
            after=changes[1],
        )
    session.flush()


def _queue_state(language: Language) -> dict[str, object]:
    """What an audit entry shows of a queue's settings."""
    state: dict[str, object] = {
        "assignment_strategy": str(language.assignment_strategy),
        "auto_acknowledge": language.auto_acknowledge,
        "active": language.active,
    }
    if language.sla_policy is not None:
        sla = asdict(settings_of(language.sla_policy))
        sla["holidays"] = [day.isoformat() for day in sla["holidays"]]
        state.update({f"sla_{key}": value for key, value in sla.items()})
    return state


def all_languages(session: DbSession) -> list[Language]:
    """Active and inactive: what the admin page lists."""
    return list(session.scalars(select(Language).order_by(Language.code)))
