"""Locale and text direction of the interface; works inside and outside a request."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import get_locale
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
