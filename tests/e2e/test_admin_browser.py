"""In the browser: an admin adds a language and makes a queue claim-only; a liaison marks
themselves away; the Arabic interface runs right to left."""

import pytest

from helpdesk.core.models import AssignmentStrategy, Language, Role, User

from ..factories import PASSWORD
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]


def _sign_in(page, base, email):
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#submit")


def test_admin_adds_a_language_and_sets_a_queue(app, session, make_user, live_server, browser_page):
    admin = make_user(Role.ADMIN, languages=())
    page = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    _sign_in(page, live_server, admin.email)
    page.click("a[href='/admin/']")  # the navigation's one entry to every admin page
    page.click("main a[href='/admin/languages']")
    page.fill("#code", "it")
    page.click("#add")
    page.wait_for_selector(".flash-success")
    assert "italiano" in page.inner_text("#language-it")
    page.select_option("#fr-assignment_strategy", "unassigned")
    page.fill("#fr-first_response_hours", "8")
    page.locator("#language-fr button, #language-fr input[type=submit]").last.click()
    page.wait_for_selector(".flash-success")
    page.screenshot(path=ARTIFACTS / "admin-languages.png", full_page=True)
    session.expire_all()
    french = session.get(Language, "fr")
    assert french.assignment_strategy == AssignmentStrategy.UNASSIGNED
    assert french.sla_policy.first_response_hours == 8
    assert session.get(Language, "it").active


def test_liaison_goes_away_in_arabic(app, session, make_user, live_server, browser_page):
    from helpdesk.core.unit_of_work import unit_of_work

    liaison = make_user(languages=("ar",))
    with unit_of_work(session):
        liaison.locale = "ar"
    page = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    _sign_in(page, live_server, liaison.email)
    assert page.get_attribute("html", "dir") == "rtl"
    page.click("a.who")
    page.check("#away")
    page.fill("#away_until", "2099-01-31")
    page.click("#save")
    page.wait_for_selector(".flash-success")
    page.screenshot(path=ARTIFACTS / "account-away-arabic.png", full_page=True)
    session.expire_all()
    me = session.get(User, liaison.id)
    assert me.away and me.away_until.year == 2099
