"""Search results grouped by ticket, with the queue's visibility rules, filters and pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core.models import Status
from ..core.services.languages import active_languages
from ..core.services.search import QueryError, SearchFilters, SearchSort, search_tickets
from ..extensions import db

blueprint = Blueprint("search", __name__)

# Why a query cannot be searched, by QueryError.reason.
REASONS = {
    "empty": _l("Type a word to search for."),
    "only_negative": _l("Say what to look for, not only what to leave out."),
    "filter_misplaced": _l("Filters such as lang: or status: cannot be inside OR or NOT."),
    "not_misplaced": _l("NOT cannot be used inside OR."),
    "bad_date": _l("Dates are written 2024, 2024-03 or 2024-03-15."),
    "unknown_value": _l("This filter value is not known."),
}


def _filters() -> SearchFilters:
    language = request.args.get("language") or None
    status = request.args.get("status") or None
    sort = request.args.get("sort", SearchSort.RELEVANCE.value)
    return SearchFilters(
        language=language,
        status=status if status in {s.value for s in Status} else None,
        requester=request.args.get("requester") or None,
        has_attachment=bool(request.args.get("attachment")),
        sort=SearchSort(sort) if sort in {s.value for s in SearchSort} else SearchSort.RELEVANCE,
    )


@blueprint.route("/search")
def results() -> str:
    """Tickets whose messages match ``q`` (best first), 20 a page, as the signed-in person may
    see them; an unsearchable query is explained, not an error page."""
    query = request.args.get("q", "").strip()
    page = request.args.get("page", 1, type=int) or 1
    filters = _filters()
    found, error = None, None
    if query:
        try:
            found = search_tickets(db.session, query, current_user, filters, page)
        except QueryError as problem:
            error = REASONS.get(problem.reason, _("This query cannot be searched."))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "search/results.html",
        query=query,
        found=found,
        error=error,
        filters=filters,
        languages=active_languages(db.session),
        statuses=list(Status),
        query_args=args,
    )
