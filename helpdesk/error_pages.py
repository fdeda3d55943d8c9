"""Error pages in the site's own layout: a main landmark, the reader's language, the menu."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


def _titles() -> dict[int, str]:
    return {
        403: _("You may not see this page"),
        404: _("Page not found"),
        405: _("This page cannot be used that way"),
    }


def _render(error: HTTPException) -> tuple[str, int]:
    """Werkzeug's own error page has no landmark and no language: screen readers and phones
    deserve the same page as everywhere else."""
    code = error.code or 404
    return render_template("errors/error.html", code=code, title=_titles()[code]), code


def init_error_pages(app: Flask) -> None:
    for code in _titles():
        app.register_error_handler(code, _render)
