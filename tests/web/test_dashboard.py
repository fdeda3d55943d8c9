"""The dashboard and the engagement report over HTTP: who lands where, who sees what, the same
figures on the page and in the CSV, and the refresh fragment."""

import csv
import io
from datetime import timedelta

from helpdesk.core.models import Role, Status, utcnow
from helpdesk.core.unit_of_work import unit_of_work

from ..timelines import Timeline


def _csv(response):
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _history(session, camille, bruno):
    now = utcnow()
    with unit_of_work(session):
        Timeline(session, "fr", now - timedelta(days=9), camille)  # waiting 9 days, breached
        for n in range(6):
            Timeline(session, "fr", now - timedelta(hours=3 + n), bruno)
        Timeline(session, "de", now - timedelta(hours=30), camille).reply(
            now - timedelta(hours=28), Status.PENDING
        )


def test_coordinators_land_on_the_dashboard(client, login_as, make_user):
    login_as(make_user(Role.COORDINATOR))
    assert client.get("/").headers["Location"].endswith("/dashboard/")


def test_liaisons_land_on_their_tickets(client, login_as, make_user):
    login_as(make_user())
    assert client.get("/").headers["Location"].endswith("/queue/mine")


def test_the_dashboard_answers_who_waits_longest_and_who_is_overloaded(
    client, login_as, make_user, session
):
    camille = make_user(languages=("fr", "de"), name="Camille")
    bruno = make_user(languages=("fr",), name="Bruno")
    _history(session, camille, bruno)
    login_as(make_user(Role.COORDINATOR))
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Waiting longest: Français (fr), for 216" in page
    assert "Most loaded: Bruno, 6 open tickets" in page
    assert '<svg role="img"' in page and "Download CSV" in page
    assert "/queue/all?language=fr&amp;sla=breached" in page
    backlog = _csv(client.get("/dashboard/backlog.csv"))
    header, rows = backlog[0], {row[0]: row for row in backlog[1:]}
    french = dict(zip(header, rows["Français (fr)"], strict=True))
    assert (french["Open"], french["over 7 days"], french["In breach"]) == ("7", "1", "1")
    assert french["under 1 day"] == "6"
    # The CSV holds the page's figures.
    assert f">{float(french['Longest wait (hours)']):g}<" in page
    fragment = client.get("/dashboard/fragment").get_data(as_text=True)
    assert "<html" not in fragment and 'id="longest-wait"' in fragment


def test_liaisons_see_only_their_own_figures(client, login_as, make_user, session):
    camille = make_user(languages=("fr", "de"), name="Camille")
    bruno = make_user(languages=("fr",), name="Bruno")
    _history(session, camille, bruno)
    login_as(camille)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "My figures" in page and "Bruno" not in page
    loads = _csv(client.get("/dashboard/liaisons.csv"))
    assert [row[0] for row in loads[1:]] == ["Camille"]
    backlog = {row[0]: row for row in _csv(client.get("/dashboard/backlog.csv"))[1:]}
    assert backlog["Français (fr)"][5] == "1"  # her one French ticket, not Bruno's six
    for url in ("/dashboard/report", "/dashboard/report.md", "/dashboard/report.csv"):
        assert client.get(url).status_code == 403
    assert client.get("/dashboard/nothing.csv").status_code == 404


def test_the_dashboard_in_arabic_is_right_to_left(client, login_as, make_user, session):
    coordinator = make_user(Role.COORDINATOR)
    with unit_of_work(session):
        coordinator.locale = "ar"
    _history(session, make_user(name="Camille"), make_user(name="Bruno"))
    login_as(coordinator)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
