"""In a real browser: a visitor picks Arabic on the sign-in page, the browser's time zone is sent
once, and the liaison then switches to Japanese in Tokyo; screenshots of each."""

from datetime import UTC, datetime

import pytest

from helpdesk.core.unit_of_work import unit_of_work

from ..factories import PASSWORD
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]


def test_queue_and_ticket_in_arabic_then_japanese(
    live_server, browser_page, make_user, create_ticket, session
):
    liaison = make_user(languages=("ar", "ja"), name="Layla Haddad")
    arabic = create_ticket("ar")
    japanese = create_ticket("ja")
    with unit_of_work(session):
        japanese.created_at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page

    page.goto(f"{live_server}/auth/login")
    page.select_option("#lang-locale", "ar")  # app.js submits the menu on change
    page.wait_for_selector('html[lang="ar"][dir="rtl"]')
    page.fill("#email", liaison.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_selector("table.queue")
    assert page.get_attribute("html", "dir") == "rtl"
    page.wait_for_selector("#timezone-guess[data-sent]", state="attached")
    browser_zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    session.refresh(liaison)
    assert liaison.timezone == browser_zone
    page.screenshot(path=ARTIFACTS / "locale-queue-ar.png", full_page=True)
    page.goto(f"{live_server}/tickets/{arabic.id}")
    assert page.get_attribute("html", "lang") == "ar"
    page.screenshot(path=ARTIFACTS / "locale-ticket-ar.png", full_page=True)

    page.goto(f"{live_server}/account")
    page.select_option("#prefs-locale", "ja")
    page.select_option("#prefs-timezone", "Asia/Tokyo")
    page.click("#prefs-save_preferences")
    page.wait_for_selector('html[lang="ja"][dir="ltr"]')
    page.goto(f"{live_server}/queue/mine")
    page.screenshot(path=ARTIFACTS / "locale-queue-ja.png", full_page=True)
    page.goto(f"{live_server}/tickets/{japanese.id}")
    assert "2026/01/02 12:04" in page.inner_text(".ticket-layout")
    page.screenshot(path=ARTIFACTS / "locale-ticket-ja.png", full_page=True)
