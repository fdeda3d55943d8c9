"""The languages the helpdesk works in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..db_session import DbSession
from ..models import Language


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
            spec = BUILTIN_LANGUAGES.get(code, LanguageSpec(code, code, code))
            existing[code] = Language(
                code=code,
                name=spec.name,
                english_name=spec.english_name,
                direction=spec.direction,
            )
            session.add(existing[code])
    session.flush()
    return [existing[code] for code in codes]


def active_languages(session: DbSession) -> list[Language]:
    return list(session.scalars(select(Language).where(Language.active).order_by(Language.code)))
