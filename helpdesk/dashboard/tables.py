"""The dashboard's tables, built once from the figures: the page shows them and the CSV
downloads write them, so both always hold the same numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..core.services.metrics.backlog import AGE_BUCKETS
from ..core.services.metrics.dashboard import DashboardFigures
from ..core.services.metrics.response_times import Distribution, ResponseTimes


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    # A link per row (e.g. the filtered queue), by column index; None where there is none.
    links: list[dict[int, str]] = field(default_factory=list)


def hours(seconds: int | None) -> float | None:
    """Durations are shown and exported as hours with one decimal."""
    return None if seconds is None else round(seconds / 3600, 1)


def bucket_labels() -> dict[str, str]:
    return {
        "under_1d": _("under 1 day"),
        "1d_3d": _("1 to 3 days"),
        "3d_7d": _("3 to 7 days"),
        "over_7d": _("over 7 days"),
    }


def backlog_table(
    figures: DashboardFigures, names: dict[str, str], link: Callable[..., str]
) -> Table:
    labels = bucket_labels()
    headers = [_("Language"), *(labels[key] for key, _ in AGE_BUCKETS)]
    headers += [_("Open"), _("Waiting on us"), _("Longest wait (hours)")]
    headers += [_("At risk"), _("In breach")]
    rows, links = [], []
    for entry in figures.backlog.languages:
        waited = (
            hours(int((figures.now - entry.oldest_waiting_since).total_seconds()))
            if entry.oldest_waiting_since
            else None
        )
        rows.append(
            [
                names.get(entry.language, entry.language),
                *(entry.buckets[key] for key, _ in AGE_BUCKETS),
                entry.total,
                entry.waiting,
                waited,
                entry.at_risk,
                entry.breached,
            ]
        )
        count = len(AGE_BUCKETS)
        links.append(
            {
                0: link(language=entry.language),
                count + 1: link(language=entry.language),
                count + 4: link(language=entry.language, sla="due_soon"),
                count + 5: link(language=entry.language, sla="breached"),
            }
        )
    return Table("backlog", _("Open backlog by language and age"), headers, rows, links)


def _distribution_cells(now: Distribution, before: Distribution) -> list[Any]:
    return [
        now.count,
        hours(now.median_s),
        hours(now.p90_s),
        hours(before.median_s),
        hours(before.p90_s),
    ]


def _response_headers(first: str) -> list[str]:
    headers = [first]
    for what in (_("First response"), _("Resolution")):
        headers += [
            _("%(what)s: tickets", what=what),
            _("%(what)s: median (hours)", what=what),
            _("%(what)s: 90th percentile (hours)", what=what),
            _("%(what)s: median, previous period", what=what),
            _("%(what)s: 90th percentile, previous period", what=what),
        ]
    return headers


def response_table(
    key: str, title: str, first: str, rows: list[ResponseTimes], label: Callable[[Any], str]
) -> Table:
    return Table(
        key,
        title,
        _response_headers(first),
        [
            [
                label(row.key),
                *_distribution_cells(row.first_response, row.first_response_before),
                *_distribution_cells(row.resolution, row.resolution_before),
            ]
            for row in rows
        ],
    )


def volume_table(figures: DashboardFigures, names: dict[str, str]) -> Table:
    languages = list(figures.volume.counts)
    headers = [_("Week of"), *(names.get(code, code) for code in languages)]
    rows = [
        [week, *(figures.volume.counts[code][n] for code in languages)]
        for n, week in enumerate(figures.volume.weeks)
    ]
    return Table("volume", _("New tickets per week"), headers, rows)


def liaisons_table(figures: DashboardFigures) -> Table:
    headers = [_("Liaison"), _("Languages"), _("Open tickets"), _("At risk"), _("In breach")]
    headers += [_("Overloaded"), _("Away"), _("Back on")]
    median = figures.median_load
    rows = [
        [
            load.name,
            " ".join(load.languages),
            load.open_tickets,
            load.at_risk,
            load.breached,
            _("yes") if load.overloaded(median) else "",
            _("away") if load.away else "",
            load.away_until.date() if load.away_until else "",  # shown localised; ISO in CSV
        ]
        for load in figures.liaisons
    ]
    return Table("liaisons", _("Liaison load"), headers, rows)
