"""The engagement report page and its Markdown and CSV downloads (coordinators and admins)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, abort, render_template, request
from flask_login import current_user

from ..core.models import utcnow
from ..core.services.languages import active_languages
from ..core.services.metrics.engagement import Engagement, engagement_report, period_of_days
from ..core.services.metrics.response_times import Period
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from .forms import ReportForm
from .report_formats import figure_rows, headers, report_csv, report_markdown
from .views import blueprint


def _quarter_so_far(today: date) -> tuple[date, date]:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return first, today


def _report() -> tuple[list[Engagement], Period, ReportForm]:
    if not current_user.sees_all_tickets:
        abort(403)
    form = ReportForm(formdata=request.args)
    codes = [language.code for language in active_languages(db.session)]
    form.language.choices = [("", "—"), *((code, code) for code in codes)]
    first, last = _quarter_so_far(utcnow().date())
    start = form.start.data if form.validate() and form.start.data else first
    end = form.end.data if form.end.data and form.end.data >= start else max(last, start)
    chosen = form.language.data if form.language.data in codes else None
    period = period_of_days(start, min(end, start + timedelta(days=3660)))
    with unit_of_work(db.session):  # the refreshed ticket timings are kept
        entries = engagement_report(db.session, period, [chosen] if chosen else codes)
    return entries, period, form


@blueprint.route("/report")
def report() -> str:
    """The engagement report for one language or all side by side, for chosen days."""
    entries, period, form = _report()
    return render_template(
        "dashboard/report.html",
        report=entries,
        period=period,
        form=form,
        headers=headers(entries),
        rows=figure_rows(entries),
        args=request.args.to_dict(),
    )


@blueprint.route("/report.<fmt>")
def report_download(fmt: str) -> Response:
    entries, period, _form = _report()
    name = f"engagement-{period.start.date().isoformat()}"
    if fmt == "md":
        return Response(
            report_markdown(entries, period),
            mimetype="text/markdown",
            headers={"Content-Disposition": f'attachment; filename="{name}.md"'},
        )
    if fmt == "csv":
        return Response(
            "\ufeff" + report_csv(entries),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    abort(404)
