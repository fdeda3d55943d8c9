"""Queue views: Mine, My languages, Waiting, All."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.models import utcnow
from ..core.services.queues import QueueView, list_queue, queue_counts
from ..extensions import db

blueprint = Blueprint("queue", __name__)


@blueprint.route("/")
def index() -> Response:
    """Start where the work is: my tickets."""
    return redirect(url_for("queue.show", view=QueueView.MINE.value))


@blueprint.route("/queue/<view>")
def show(view: str) -> str:
    """One queue view, oldest waiting first, paginated."""
    try:
        queue_view = QueueView(view)
    except ValueError:
        abort(404)
    if queue_view == QueueView.ALL and not current_user.sees_all_tickets:
        abort(403)
    page = request.args.get("page", 1, type=int) or 1
    result = list_queue(db.session, current_user, queue_view, page=page)
    return render_template(
        "queue/list.html",
        view=queue_view,
        views=QueueView,
        result=result,
        counts=queue_counts(db.session, current_user),
        now=utcnow(),
    )
