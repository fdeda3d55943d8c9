"""Account security as a browser meets it: lock-out, reset mail, second step, sessions, cookies."""

import email
import re
from datetime import timedelta
from email import policy

import pyotp
import pytest
from sqlalchemy import select

from config import Config
from helpdesk import sessions
from helpdesk.app_settings import secret_box
from helpdesk.core.models import AuditAction, AuditEntry, OutboxMail, utcnow

from ..conftest import csrf_token
from ..factories import PASSWORD

STRONG = "quiet walrus paints nine lanterns"
LOCKED = "Too many failed sign-ins"


@pytest.fixture
def clock(monkeypatch):
    """The web layer's clock, moved by the test instead of sleeping."""

    class Clock:
        now = utcnow()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    moved = Clock()
    monkeypatch.setattr(sessions, "now", lambda: moved.now)
    return moved


def _sign_in(client, email_address, password, remember=False, next_url=""):
    page = client.get("/auth/login").get_data(as_text=True)
    data = {"email": email_address, "password": password, "csrf_token": csrf_token(page)}
    if remember:
        data["remember"] = "y"
    return client.post(f"/auth/login{next_url}", data=data)


def _post(client, page_url, action_url, data):
    page = client.get(page_url).get_data(as_text=True)
    return client.post(action_url, data={**data, "csrf_token": csrf_token(page)})


def _signed_in(client):
    return client.get("/queue/mine").status_code == 200


# --- throttling -------------------------------------------------------------------------------


def test_lock_out_reads_the_same_for_a_real_and_an_unknown_account(client, make_user, clock):
    user = make_user()
    for address in (user.email, "nobody@example.org"):
        for _ in range(5):
            assert "Wrong email or password." in _sign_in(client, address, "bad guess!!").text
        assert LOCKED in _sign_in(client, address, "bad guess!!").text
    assert LOCKED in _sign_in(client, user.email, PASSWORD).text  # the right password waits too
    assert not _signed_in(client)
    clock.advance(minutes=16)
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_successful_sign_in_resets_the_accounts_count(client, make_user, clock):
    user = make_user()
    for _ in range(4):
        _sign_in(client, user.email, "bad guess!!")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    _post(client, "/queue/mine", "/auth/logout", {})
    for _ in range(4):
        _sign_in(client, user.email, "bad guess!!")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


def test_failures_are_audited_with_the_clients_address(client, session, make_user, clock):
    user = make_user()
    _sign_in(client, user.email, "bad guess!!")
    [entry] = session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.SIGN_IN_FAILED)
    )
    assert entry.address == "127.0.0.1" and entry.after["email"] == user.email


# --- password reset ---------------------------------------------------------------------------


def _reset_link(session):
    [mail] = session.scalars(select(OutboxMail)).all()
    body = email.message_from_bytes(mail.content, policy=policy.default).get_body(
        preferencelist=("plain",)
    )
    match = re.search(r"https?://[^/\s]+(/auth/reset/[A-Za-z0-9_-]+)", body.get_content())
    assert match, body.get_content()
    return mail, match.group(1).lstrip("/")


def test_forgot_password_mails_a_link_that_works_once(client, app, session, make_user, clock):
    user = make_user()
    other = app.test_client()  # a session elsewhere, which the reset ends
    _sign_in(other, user.email, PASSWORD)
    answers = [
        _post(client, "/auth/forgot", "/auth/forgot", {"email": address})
        for address in ("nobody@example.org", user.email)
    ]
    assert [a.status_code for a in answers] == [302, 302]
    flashes = [client.get("/auth/login").text for _ in answers]
    assert "If an account uses this address" in flashes[0]
    mail, path = _reset_link(session)
    assert mail.recipients == user.email
    weak = _post(
        client, "/" + path, "/" + path, {"password": "password1234", "confirm": "password1234"}
    )
    assert weak.status_code == 400 and "too easy to guess" in weak.text
    done = _post(client, "/" + path, "/" + path, {"password": STRONG, "confirm": STRONG})
    assert done.status_code == 302
    assert other.get("/queue/mine").status_code == 302  # signed out elsewhere
    again = client.get("/" + path)
    assert again.status_code == 302 and again.location.endswith("/auth/forgot")
    assert _sign_in(client, user.email, STRONG).status_code == 302


def test_a_reset_link_expires(client, session, make_user, clock):
    user = make_user()
    _post(client, "/auth/forgot", "/auth/forgot", {"email": user.email})
    _, path = _reset_link(session)
    clock.advance(minutes=61)
    assert client.get("/" + path).status_code == 302


# --- sessions ---------------------------------------------------------------------------------


def test_changing_the_password_signs_out_other_sessions_only(client, app, make_user, login_as):
    user = make_user()
    other = app.test_client()
    _sign_in(other, user.email, PASSWORD)
    login_as(user)
    wrong = _post(
        client,
        "/account/security",
        "/account/password",
        {"current_password": "not it", "new_password": STRONG, "repeat_password": STRONG},
    )
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    changed = _post(
        client,
        "/account/security",
        "/account/password",
        {"current_password": PASSWORD, "new_password": STRONG, "repeat_password": STRONG},
    )
    assert changed.status_code == 302
    assert _signed_in(client)
    assert other.get("/queue/mine").status_code == 302


def test_sign_out_everywhere(client, app, session, make_user, login_as):
    user = make_user()
    other = app.test_client()
    _sign_in(other, user.email, PASSWORD)
    login_as(user)
    assert _post(client, "/account/security", "/account/sign-out-everywhere", {}).status_code == 302
    assert not _signed_in(client)
    assert other.get("/queue/mine").status_code == 302
    assert session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.SESSIONS_REVOKED)
    ).all()


def test_a_deactivated_user_is_signed_out(client, session, make_user, login_as):
    user = make_user()
    login_as(user)
    user.active = False
    session.commit()
    assert not _signed_in(client)


def test_idle_and_absolute_session_limits(client, app, make_user, clock):
    user = make_user()
    _sign_in(client, user.email, PASSWORD)
    clock.advance(hours=11)
    assert _signed_in(client)
    clock.advance(hours=13)  # idle for more than 12 hours
    assert not _signed_in(client)
    _sign_in(client, user.email, PASSWORD, remember=True)
    clock.advance(hours=13)
    assert _signed_in(client)  # "keep me signed in" lifts the idle limit...
    clock.advance(days=14)
    assert not _signed_in(client)  # ...not the absolute one


def test_cookies_are_secure_whenever_the_site_is_https(client, app, make_user):
    config = Config({"HELPDESK_BASE_URL": "https://help.example.org", "HELPDESK_SECRET_KEY": "x"})
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    assert not Config({"HELPDESK_SECRET_KEY": "x"}).SESSION_COOKIE_SECURE
    app.config.update(SESSION_COOKIE_SECURE=config.SESSION_COOKIE_SECURE)
    user = make_user()
    response = _sign_in(client, user.email, PASSWORD, remember=True)
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # kept signed in: the cookie outlives the browser


# --- second factor ----------------------------------------------------------------------------


def _enrol(client, session, user):
    _post(client, "/account/security", "/account/second-factor/start", {})
    page = client.get("/account/security").text
    session.refresh(user)
    secret = secret_box().decrypt(user.totp_secret)
    assert 'src="data:image/svg+xml' in page and secret in page and secret not in user.totp_secret
    code = pyotp.TOTP(secret).at(sessions.now())  # the server's clock
    shown = _post(client, "/account/security", "/account/second-factor/confirm", {"code": code})
    assert shown.status_code == 200
    return re.findall(r"<code>([a-z0-9-]{11})</code>", shown.text)


def test_totp_enrolment_then_sign_in_in_two_steps(client, session, make_user, login_as, clock):
    user = make_user()
    login_as(user)
    codes = _enrol(client, session, user)
    assert len(codes) == 10
    _post(client, "/queue/mine", "/auth/logout", {})
    first = _sign_in(client, user.email, PASSWORD, next_url="?next=/account")
    assert first.location == "/auth/second-factor"
    for url in ("/queue/mine", "/account", "/account/security"):  # half signed in: nothing opens
        assert client.get(url).status_code == 302
    wrong = _post(client, "/auth/second-factor", "/auth/second-factor", {"code": "123456"})
    assert "not right" in wrong.text
    clock.advance(seconds=30)
    session.refresh(user)
    code = pyotp.TOTP(secret_box().decrypt(user.totp_secret)).at(clock.now)
    done = _post(client, "/auth/second-factor", "/auth/second-factor", {"code": code})
    assert done.location == "/account" and _signed_in(client)
    # A recovery code signs in once.
    for attempt in range(2):
        _post(client, "/queue/mine", "/auth/logout", {})
        _sign_in(client, user.email, PASSWORD)
        _post(client, "/auth/second-factor", "/auth/second-factor", {"code": codes[0]})
        assert _signed_in(client) is (attempt == 0)


def test_the_second_step_expires(client, session, make_user, login_as, clock):
    user = make_user()
    login_as(user)
    _enrol(client, session, user)
    _post(client, "/queue/mine", "/auth/logout", {})
    _sign_in(client, user.email, PASSWORD)
    clock.advance(minutes=6)
    assert client.get("/auth/second-factor").location.startswith("/auth/login")


def test_turning_the_second_step_off_on_the_account_page(client, session, make_user, login_as):
    user = make_user()
    login_as(user)
    codes = _enrol(client, session, user)
    refused = _post(
        client,
        "/account/security",
        "/account/second-factor/disable",
        {"disable_password": PASSWORD, "disable_code": "000000"},
    )
    assert refused.status_code == 400 and "not right" in refused.text
    done = _post(
        client,
        "/account/security",
        "/account/second-factor/disable",
        {"disable_password": PASSWORD, "disable_code": codes[5]},
    )
    assert done.status_code == 302
    session.refresh(user)
    assert not user.has_second_factor
    assert "Set up an authenticator app" in client.get("/account/security").text
