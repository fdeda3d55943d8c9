"""The engagement report: the same figures on the page, in Markdown, in CSV and from the
command line; new and returning correspondents, concerns shared and individual, highlights."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.core.models import Contact, Role, Status
from helpdesk.core.services.coordination import HighlightInput, set_highlight, set_summary
from helpdesk.core.services.tags import add_tag
from helpdesk.core.unit_of_work import unit_of_work

from ..timelines import Timeline

Q1 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.fixture
def quarter(session, make_user):
    """French in the first quarter of 2026: four tickets from three people (one wrote in 2025
    too), "visa" raised by three of them, "refund" by one; a highlighted ticket."""
    liaison = make_user(languages=("fr",))
    people = [Contact(email=f"p{n}@example.com", name=f"P{n}") for n in range(3)]
    with unit_of_work(session):
        Timeline(session, "fr", Q1 - timedelta(days=200), liaison, people[0])  # returning
        tickets = [
            Timeline(session, "fr", Q1 + timedelta(days=n), liaison, person)
            .reply(Q1 + timedelta(days=n, hours=2 * (n + 1)), Status.RESOLVED)
            .ticket
            for n, person in enumerate([*people, people[1]])
        ]
        Timeline(session, "de", Q1, liaison)
    with unit_of_work(session):
        for ticket in tickets[:3]:
            add_tag(session, ticket, "visa", liaison)
        add_tag(session, tickets[3], "refund", liaison)
        set_highlight(session, tickets[0], liaison, HighlightInput(True, "Moving story"))
        set_summary(session, tickets[0], liaison, "Thanks us for the visa letter.")
    return tickets


def _rows(text: str) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return {row[0]: row[1:] for row in rows if row}


def test_report_figures_are_the_same_everywhere(client, login_as, make_user, runner, quarter):
    # The highlight was set today, not in the quarter: ask for the whole year so it is in.
    args = "language=fr&start=2026-01-01&end=2026-12-31"
    login_as(make_user(Role.COORDINATOR))
    page = client.get(f"/dashboard/report?{args}").get_data(as_text=True)
    markdown = client.get(f"/dashboard/report.md?{args}").get_data(as_text=True)
    web_csv = _rows(client.get(f"/dashboard/report.csv?{args}").get_data(as_text=True))
    cli = runner.invoke(
        args=[
            "report",
            "--language",
            "fr",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--format",
            "csv",
        ]
    )
    assert cli.exit_code == 0, cli.output
    assert _rows(cli.output) == web_csv
    assert web_csv["Tickets"] == ["4"]
    assert web_csv["Unique correspondents"] == ["3"]
    assert (web_csv["New correspondents"], web_csv["Returning correspondents"]) == (["2"], ["1"])
    assert web_csv["First response, median (hours)"] == ["4.0"]  # 2, 4, 6, 8 h: nearest rank
    assert web_csv["Widespread concerns"] == ["visa (3)"]
    assert web_csv["Individual concerns"] == ["refund (1)"]
    assert "| Tickets | 4 |" in markdown and "| Widespread concerns | visa (3) |" in markdown
    assert "Moving story" in markdown and "> Thanks us for the visa letter." in markdown
    assert "Moving story" in page and "Thanks us for the visa letter." in page
    assert ">visa (3)<" in page


def test_all_languages_side_by_side(runner, quarter):
    result = runner.invoke(args=["report", "--from", "2026-01-01", "--to", "2026-03-31"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if line.startswith("| Figure"))
    assert "| fr |" in header and "| de |" in header and "| ar |" in header
    tickets = next(line for line in result.output.splitlines() if line.startswith("| Tickets"))
    cells = dict(zip(header.split("|")[2:-1], tickets.split("|")[2:-1], strict=True))
    assert (cells[" fr "], cells[" de "], cells[" ar "]) == (" 4 ", " 1 ", " 0 ")


def test_report_command_refuses_bad_input(runner):
    result = runner.invoke(args=["report", "--from", "2026-03-31", "--to", "2026-01-01"])
    assert result.exit_code != 0 and "before the first" in result.output
    result = runner.invoke(
        args=["report", "--language", "xx", "--from", "2026-01-01", "--to", "2026-01-31"]
    )
    assert result.exit_code != 0 and "no active language" in result.output
