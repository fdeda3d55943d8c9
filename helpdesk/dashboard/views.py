"""The dashboard: coordinators and admins land here and see which language waits longest and
who is overloaded; liaisons see their own figures only. Its body refreshes itself (app.js
fetches ``fragment`` every minute) and every table downloads as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.models import User, utcnow
from ..core.services.languages import all_languages
from ..core.services.metrics.dashboard import DashboardFigures, dashboard_figures
from ..core.services.metrics.response_times import Period
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from ..i18n import text_direction
from .charts import bar_chart, sparkline
from .forms import PeriodForm
from .numbers import format_figure
from .tables import (
    Table,
    backlog_table,
    liaisons_table,
    response_table,
    volume_table,
)

blueprint = Blueprint("dashboard", __name__, url_prefix="/dashboard")
blueprint.add_app_template_filter(format_figure, "figure")


def language_names() -> dict[str, str]:
    return {
        language.code: f"{language.name} ({language.code})"
        for language in all_languages(db.session)
    }


def _figures() -> tuple[DashboardFigures, PeriodForm]:
    form = PeriodForm(formdata=request.args)
    now = utcnow()
    period = Period(now - timedelta(days=form.period_days()), now)
    with unit_of_work(db.session):  # the refreshed ticket timings are kept
        figures = dashboard_figures(db.session, current_user, period, now)
    return figures, form


def _queue_link(personal: bool) -> Any:
    view = "mine" if personal else "all"

    def link(**filters: Any) -> str:
        return url_for("queue.show", view=view, **filters)

    return link


def build_tables(figures: DashboardFigures, names: dict[str, str]) -> list[Table]:
    users = {
        user.id: user.name
        for user in db.session.query(User).filter(
            User.id.in_([r.key for r in figures.by_liaison if r.key])
        )
    }
    return [
        backlog_table(figures, names, _queue_link(figures.personal)),
        response_table(
            "response_languages",
            _("Response times by language"),
            _("Language"),
            figures.by_language,
            lambda key: names.get(key, key),
        ),
        response_table(
            "response_liaisons",
            _("Response times by liaison"),
            _("Liaison"),
            figures.by_liaison,
            lambda key: users.get(key, _("Unassigned")),
        ),
        volume_table(figures, names),
        liaisons_table(figures),
    ]


def _charts(figures: DashboardFigures, names: dict[str, str]) -> dict[str, Any]:
    rtl = text_direction() == "rtl"
    backlog = bar_chart(
        [
            (
                names.get(b.language, b.language),
                [(f"age-{k}", float(v)) for k, v in b.buckets.items()],
                b.breached > 0,
            )
            for b in figures.backlog.languages
        ],
        rtl,
    )
    median = figures.median_load
    load = bar_chart(
        [
            (load.name, [("load", float(load.open_tickets))], load.overloaded(median))
            for load in figures.liaisons[:15]
        ],
        rtl,
    )
    first = bar_chart(
        [
            (names.get(r.key, r.key), [("median", (r.first_response.median_s or 0) / 3600)], False)
            for r in figures.by_language
            if r.first_response.count
        ],
        rtl,
    )
    lines = {code: sparkline(counts, rtl) for code, counts in figures.volume.counts.items()}
    return {"backlog": backlog, "load": load, "first_response": first, "sparklines": lines}


def _context() -> dict[str, Any]:
    figures, form = _figures()
    names = language_names()
    tables = build_tables(figures, names)
    return {
        "figures": figures,
        "form": form,
        "tables": {table.key: table for table in tables},
        "charts": _charts(figures, names),
        "names": names,
        "days": form.period_days(),
    }


@blueprint.route("/")
def index() -> str:
    """The whole picture (coordinators, admins) or my own figures (liaisons)."""
    return render_template("dashboard/index.html", **_context())


@blueprint.route("/fragment")
def fragment() -> str:
    """The page's body alone, for the refresh every minute."""
    return render_template("dashboard/_body.html", **_context())


@blueprint.route("/<key>.csv")
def download(key: str) -> Response:
    """One of the page's tables as CSV, the same figures as on the page."""
    figures, _form = _figures()
    tables = {table.key: table for table in build_tables(figures, language_names())}
    if key not in tables:
        abort(404)
    return csv_response(tables[key], f"dashboard-{key}-{figures.now.date().isoformat()}.csv")


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


def csv_response(table: Table, filename: str) -> Response:
    # A byte-order mark, so spreadsheet programs read Arabic, Hindi or Chinese names right.
    return Response(
        "\ufeff" + csv_text(table),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
