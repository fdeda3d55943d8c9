"""In the browser: a liaison turns on the authenticator-app step, then signs in with it."""

from datetime import timedelta

import pyotp
import pytest

from helpdesk import sessions
from helpdesk.core.models import utcnow

from ..factories import PASSWORD
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]


def test_totp_enrolment_and_sign_in(app, make_user, live_server, browser_page, monkeypatch):
    user = make_user()
    now = [utcnow()]
    monkeypatch.setattr(sessions, "now", lambda: now[0])  # the server's clock, in this process
    page = browser_page
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server}/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.click("a.who")
    page.click("#security a")
    page.click("#start")
    qr = page.locator("img.qr-code")
    qr.wait_for()
    # The QR code is a data: image, which the Content-Security-Policy lets the browser draw.
    assert page.evaluate("document.querySelector('img.qr-code').naturalWidth") > 0
    secret = page.inner_text("#totp-secret").strip()
    page.fill("#code", pyotp.TOTP(secret).at(now[0]))
    page.click("#turn_on")
    codes = page.locator("#recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    page.screenshot(path=ARTIFACTS / "second-factor-enrolled.png", full_page=True)

    page.click("form.signout button, form.signout input[type=submit]")
    page.wait_for_url("**/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/auth/second-factor")
    page.goto(f"{live_server}/queue/mine")  # half signed in: the queue does not open
    page.wait_for_url("**/auth/login**")
    page.goto(f"{live_server}/auth/second-factor")
    now[0] += timedelta(seconds=30)
    page.fill("#code", pyotp.TOTP(secret).at(now[0]))
    page.click("#submit")
    page.wait_for_selector("a.who")
    assert "/queue" in page.url or page.url.rstrip("/") == live_server
