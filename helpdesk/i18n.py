"""Locale and text direction of the interface; works inside and outside a request."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}


def select_locale() -> str | None:
    """The user's chosen language, else the browser's best match; None (the default) for workers
    that set their own with ``force_locale``."""
    if not has_request_context():
        return None
    if current_user.is_authenticated and current_user.locale:
        return current_user.locale
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def text_direction() -> str:
    locale = get_locale()
    return "rtl" if locale is not None and locale.language in RTL_LANGUAGES else "ltr"


def page_translations() -> NullTranslations:
    """The current locale's catalogue, looked up once per locale and request: Flask-Babel's own
    lookup walks several context proxies, and a page calls gettext a few hundred times. Keyed
    by the locale object, so ``force_locale`` (mail written in the requester's language) still
    gets its own."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    if state is None or locale is None:
        return get_translations()
    cached = getattr(state, "page_translations", None)
    if cached is None or cached[0] is not locale:
        cached = state.page_translations = (locale, get_translations())
    return cached[1]


def install_template_gettext(app: Flask) -> None:
    """Templates translate through ``page_translations``; same results as Flask-Babel's."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )
