"""Error pages in the reader's language and direction, inside the usual page frame."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)


def _explanation(code: int) -> str:
    texts = {
        400: lambda: _("The request could not be understood. Reload the page and try again."),
        403: lambda: _("You may not see this page."),
        404: lambda: _("There is no such page."),
        405: lambda: _("This address does not accept that kind of request."),
        413: lambda: _("What you sent is too large."),
        500: lambda: _("Something went wrong on our side. Try again in a moment."),
    }
    return texts.get(code, lambda: _("This request could not be answered."))()


def render_error(error: HTTPException) -> HTTPException | Response:
    """Werkzeug's response (its code and headers) with our page as the body; when even the
    page cannot be drawn (the database is down…), Werkzeug's own English page."""
    if error.code is None or error.code < 400:
        return error
    response = error.get_response()
    try:
        body = render_template(
            "errors/http.html", code=error.code, explanation=_explanation(error.code)
        )
    except Exception:  # an error page must never fail worse than the error it shows
        log.exception("error page %s not rendered", error.code)
        return response
    response.set_data(body)
    response.mimetype = "text/html"
    return response


def init_error_pages(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
