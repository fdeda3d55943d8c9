"""In the browser: a coordinator signs in and lands on the dashboard, which refreshes itself
a minute later with a new ticket; in Arabic it runs right to left, charts mirrored."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from helpdesk.core.models import Role, utcnow
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import PASSWORD
from ..timelines import Timeline
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]


def _sign_in(page, base, email):
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")


def _history(session, make_user):
    now = utcnow()
    camille = make_user(languages=("fr", "ar"), name="Camille")
    bruno = make_user(languages=("fr",), name="Bruno")
    with unit_of_work(session):
        Timeline(session, "fr", now - timedelta(days=9), camille)
        for n in range(6):
            Timeline(session, "fr", now - timedelta(hours=3 + n), bruno)
        Timeline(session, "ar", now - timedelta(days=2), camille).reply(now - timedelta(hours=30))
        Timeline(session, "de", now - timedelta(hours=20))


def test_coordinator_dashboard_in_english_refreshes_itself(
    app, session, make_user, live_server, browser_page
):
    _history(session, make_user)
    coordinator = make_user(Role.COORDINATOR, languages=())
    page = browser_page
    page.clock.install()
    ARTIFACTS.mkdir(exist_ok=True)
    _sign_in(page, live_server, coordinator.email)
    page.wait_for_selector("#longest-wait")
    assert page.url.endswith("/dashboard/")
    assert "Waiting longest: Français (fr)" in page.inner_text("#longest-wait")
    assert "Most loaded: Bruno" in page.inner_text("#most-loaded")
    assert page.locator("svg.bars").count() >= 2
    page.screenshot(path=ARTIFACTS / "dashboard-en.png", full_page=True)

    with unit_of_work(session):  # a German ticket waiting for twelve days arrives meanwhile
        Timeline(session, "de", utcnow() - timedelta(days=12))
    page.clock.run_for(61_000)
    expect(page.locator("#longest-wait")).to_contain_text("Deutsch (de)", timeout=10_000)
    assert page.locator("html").get_attribute("lang") == "en"  # no reload: same document

    page.click("#table-backlog tr:has-text('(fr)') a[href*='sla=breached']")
    page.wait_for_selector("table.queue")
    assert "sla=breached" in page.url and "language=fr" in page.url
    assert page.locator("table.queue tbody tr").count() == 1  # the one waiting nine days
    assert "SLA breached" in page.inner_text("table.queue tbody tr")


def test_dashboard_in_arabic_runs_right_to_left(app, session, make_user, live_server, browser_page):
    _history(session, make_user)
    coordinator = make_user(Role.COORDINATOR, languages=())
    with unit_of_work(session):
        coordinator.locale = "ar"
    page = browser_page
    _sign_in(page, live_server, coordinator.email)
    page.wait_for_selector("#longest-wait")
    assert page.locator("html").get_attribute("dir") == "rtl"
    # Mirrored chart: the language labels are to the right of their bars.
    row = page.locator("#chart-backlog-title ~ g").first
    label = row.locator("text.label").bounding_box()
    value = row.locator("text.value").bounding_box()
    bars = [rect.bounding_box() for rect in row.locator("rect").all()]
    assert label["x"] >= max(bar["x"] + bar["width"] for bar in bars) - 1
    assert value["x"] + value["width"] <= min(bar["x"] for bar in bars) + 1
    # Tables start on the right.
    caption = page.locator("#table-backlog caption").bounding_box()
    table = page.locator("#table-backlog").bounding_box()
    assert caption["x"] + caption["width"] > table["x"] + table["width"] - 40
    page.screenshot(path=ARTIFACTS / "dashboard-ar.png", full_page=True)
