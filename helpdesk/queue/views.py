"""Queue views: Mine, My languages, Waiting, All; filters, sorting, and coordinators' bulk
actions."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..core.errors import DomainError, MergeNeedsTwoTickets, NotPermitted, StatusRequired
from ..core.models import Status, Ticket, User, utcnow
from ..core.services.bulk import bulk_add_tag, bulk_assign, bulk_change_status, tickets_by_ids
from ..core.services.languages import active_languages
from ..core.services.merging import merge_into_older
from ..core.services.metrics.timings import refresh_timings
from ..core.services.queues import QueueView, escalation_states, list_queue, queue_counts
from ..core.services.sla import ticket_first_response_sla
from ..core.services.users import assignable_users
from ..core.unit_of_work import unit_of_work
from ..errors import describe
from ..extensions import db
from .forms import BulkAction, BulkForm, QueueFilterForm

blueprint = Blueprint("queue", __name__)


@blueprint.route("/")
def index() -> Response:
    """Start where the work is: coordinators and admins on the dashboard, liaisons on their
    tickets."""
    if current_user.sees_all_tickets:
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("queue.show", view=QueueView.MINE.value))


@blueprint.route("/queue/<view>")
def show(view: str) -> str:
    """One queue view, filtered and sorted from the URL (oldest waiting first), paginated.
    A filter value that makes no sense is reported on the form and ignored."""
    try:
        queue_view = QueueView(view)
    except ValueError:
        abort(404)
    if queue_view == QueueView.ALL and not current_user.sees_all_tickets:
        abort(403)
    oversight = current_user.sees_all_tickets
    staff = assignable_users(db.session) if oversight else []
    form = QueueFilterForm(formdata=request.args)
    form.set_choices(active_languages(db.session), staff)
    form.validate()
    now = utcnow()
    if form.sla.data and not form.sla.errors:  # the filter reads the tickets' stored clocks
        with unit_of_work(db.session):
            refresh_timings(db.session)
    page = request.args.get("page", 1, type=int) or 1
    result = list_queue(
        db.session, current_user, queue_view, form.filters(), form.sort_order(), page, now=now
    )
    bulk_form = None
    if oversight:
        bulk_form = BulkForm(formdata=None, return_to=request.full_path)
        bulk_form.set_choices(staff)
    return render_template(
        "queue/list.html",
        view=queue_view,
        views=QueueView,
        result=result,
        counts=queue_counts(db.session, current_user),
        form=form,
        query_args=form.query_args(),
        bulk_form=bulk_form,
        sla_of=ticket_first_response_sla,
        escalated=escalation_states(db.session, [t.id for t in result.tickets], now),
        now=now,
    )


@blueprint.route("/queue/bulk", methods=["POST"])
def bulk() -> Response:
    """Apply one change to the ticked tickets. Coordinators and admins only."""
    if not current_user.sees_all_tickets:
        abort(403)
    form = BulkForm()
    form.set_choices(assignable_users(db.session))
    back = _safe_return(form.return_to.data)
    action = form.action()
    if not form.validate_on_submit() or action is None:
        flash(_("Tick at least one ticket, then choose an action."), "error")
        return redirect(back)
    tickets = tickets_by_ids(db.session, form.ticket_ids.data or [])
    try:
        with unit_of_work(db.session):
            message = _apply(action, form, tickets)
    except NotPermitted:
        abort(403)
    except DomainError as error:
        flash(describe(error), "error")
        return redirect(back)
    flash(message, "success" if tickets else "error")
    return redirect(back)


def _apply(action: str, form: BulkForm, tickets: list[Ticket]) -> str:
    if action == BulkAction.ASSIGN:
        assignee_id = form.assignee_id()
        assignee = db.session.get(User, assignee_id) if assignee_id else None
        changed = bulk_assign(db.session, tickets, assignee, current_user)
        return _("%(n)d ticket(s) reassigned.", n=changed)
    if action == BulkAction.STATUS:
        if not form.status.data:
            raise StatusRequired()
        changed = bulk_change_status(db.session, tickets, Status(form.status.data), current_user)
        return _("%(n)d ticket(s) changed status.", n=changed)
    if action == BulkAction.TAG:
        changed = bulk_add_tag(db.session, tickets, form.tag.data or "", current_user)
        return _("%(n)d ticket(s) tagged.", n=changed)
    if len(tickets) != 2:
        raise MergeNeedsTwoTickets(len(tickets))
    target = merge_into_older(db.session, tickets[0], tickets[1], current_user)
    return _("Merged into %(reference)s.", reference=target.reference)


def _safe_return(value: str | None) -> str:
    """Back to the queue page the form was on, never to another site."""
    parts = urlsplit(value or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/queue/"):
        return url_for("queue.show", view=QueueView.ALL.value)
    return value or ""
