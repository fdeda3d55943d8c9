"""The engagement report as rows (for CSV and the page) and as Markdown: languages side by side,
figure by figure, then each language's concerns and highlighted feedback."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from ..core.services.metrics.engagement import Engagement, TagCount
from ..core.services.metrics.response_times import Period
from ..formatting import format_day
from .tables import hours


def _tags(tags: list[TagCount]) -> str:
    return ", ".join(f"{tag.name} ({tag.tickets})" for tag in tags)


def figure_rows(report: list[Engagement]) -> list[list[str | int | float | None]]:
    """One row per figure, one column per language: the same cells in every format."""
    return [
        [_("Tickets"), *(e.tickets for e in report)],
        [_("Unique correspondents"), *(e.correspondents for e in report)],
        [_("New correspondents"), *(e.new_correspondents for e in report)],
        [_("Returning correspondents"), *(e.returning_correspondents for e in report)],
        [_("First response, median (hours)"), *(hours(e.first_response.median_s) for e in report)],
        [_("Resolution, median (hours)"), *(hours(e.resolution.median_s) for e in report)],
        [_("Top tags"), *(_tags(e.top_tags) for e in report)],
        [_("Widespread concerns"), *(_tags(e.widespread) for e in report)],
        [_("Individual concerns"), *(_tags(e.individual) for e in report)],
        [_("Highlighted feedback"), *(len(e.highlights) for e in report)],
    ]


def headers(report: list[Engagement]) -> list[str]:
    return [_("Figure"), *(e.language for e in report)]


def report_csv(report: list[Engagement]) -> str:
    """Figures side by side, then one row per highlighted ticket."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(report))
    for row in figure_rows(report):
        writer.writerow(["" if cell is None else cell for cell in row])
    writer.writerow([])
    writer.writerow([_("Language"), _("Ticket"), _("Subject"), _("Why highlighted"), _("Summary")])
    for entry in report:
        for item in entry.highlights:
            writer.writerow(
                [entry.language, f"#{item.ticket_id}", item.subject, item.reason, item.summary]
            )
    return out.getvalue()


def _md(cell: object) -> str:
    text = "—" if cell is None or cell == "" else str(cell)
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(report: list[Engagement], period: Period) -> str:
    last_day = (period.end.date()).fromordinal(period.end.date().toordinal() - 1)
    lines = [
        "# "
        + _(
            "Engagement report, %(start)s to %(end)s",
            start=format_day(period.start.date(), "long"),
            end=format_day(last_day, "long"),
        ),
        "",
        "| " + " | ".join(_md(h) for h in headers(report)) + " |",
        "|" + "---|" * (len(report) + 1),
    ]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in figure_rows(report)]
    for entry in report:
        if not entry.highlights:
            continue
        lines += ["", "## " + _("Highlighted feedback: %(language)s", language=entry.language), ""]
        for item in entry.highlights:
            lines.append(f"- **#{item.ticket_id}** {_md(item.subject)}: {_md(item.reason)}")
            if item.summary:
                lines.append(f"  > {_md(item.summary)}")
    return "\n".join(lines) + "\n"
