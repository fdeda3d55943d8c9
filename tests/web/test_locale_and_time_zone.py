"""Each person reads the interface in their language and every time in their own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale

from helpdesk.core.models import User, utcnow
from helpdesk.core.services.digests import DigestContent
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.dashboard.digests import render_digest
from helpdesk.formatting import format_number, format_percent

from ..conftest import csrf_token

OPENED = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)  # 12:04 in Tokyo


def _prefer(session, user: User, locale: str | None, zone: str | None) -> None:
    with unit_of_work(session):
        user.locale, user.timezone = locale, zone


@pytest.fixture
def opened_ticket(session, create_ticket):
    ticket = create_ticket("ja")
    with unit_of_work(session):
        ticket.created_at = OPENED
    return ticket


def test_japanese_reader_in_tokyo_sees_a_japanese_date_in_jst(
    client, session, login_as, make_user, opened_ticket
):
    user = make_user(languages=("ja",))
    _prefer(session, user, "ja", "Asia/Tokyo")
    login_as(user)
    html = client.get(f"/tickets/{opened_ticket.id}").get_data(as_text=True)
    assert '<time datetime="2026-01-02T03:04:00+00:00">2026/01/02 12:04</time>' in html
    assert "UTC" not in html


def test_arabic_reader_without_a_zone_sees_arabic_dates_in_utc(
    client, session, login_as, make_user, opened_ticket
):
    user = make_user(languages=("ja",))
    _prefer(session, user, "ar", None)
    login_as(user)
    html = client.get(f"/tickets/{opened_ticket.id}").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert ">02\u200f/01\u200f/2026، 3:04 ص</time>" in html


@pytest.mark.parametrize(
    ("locale", "expected"), [("en", "3 hr. ago"), ("ja", "3 時間前"), ("ar", "قبل 3 ساعات")]
)
def test_queue_shows_relative_ages_in_the_readers_language(
    client, session, login_as, make_user, create_ticket, locale, expected
):
    user = make_user(languages=("fr",))
    _prefer(session, user, locale, "America/Lima")
    ticket = create_ticket("fr")
    with unit_of_work(session):
        ticket.created_at = ticket.last_requester_message_at = utcnow() - timedelta(hours=3)
    login_as(user)
    html = client.get("/queue/mine").get_data(as_text=True)
    assert f">{expected}</time>" in html
    assert ticket.created_at.isoformat(timespec="seconds") in html  # for machines, still UTC


def test_numbers_follow_the_locale(app):
    with app.test_request_context(), force_locale("de"):
        assert format_number(1234.56) == "1.234,6"
        assert format_percent(0.42) == "42\xa0%"
        assert render_template_string("{{ 12345|number }}") == "12.345"  # queue and search totals
    with app.test_request_context(), force_locale("en"):
        assert format_number(1234.56) == "1,234.6"
        assert format_percent(0.42) == "42%"


def test_digest_writes_the_day_in_the_coordinators_language(app):
    content = DigestContent(breached=[], at_risk=[], highlighted=[])
    subject, text = render_digest(content, "ja", date(2026, 1, 2), "https://help.example.org")
    assert "2026年1月2日" in subject and "2026年1月2日" in text
    subject, _text = render_digest(content, "de", date(2026, 1, 2), "https://help.example.org")
    assert "2. Januar 2026" in subject


# --- choosing the language ------------------------------------------------------------------


def test_sign_in_page_lists_each_language_in_its_own_name(client):
    html = client.get("/auth/login").get_data(as_text=True)
    for code, name in (("ja", "日本語"), ("ar", "العربية"), ("de", "Deutsch"), ("hi", "हिन्दी")):
        assert f'<option lang="{code}" value="{code}">{name}</option>' in html


def test_visitor_choice_outranks_the_browser_and_the_users_own_outranks_it(
    client, session, login_as, make_user
):
    page = client.get("/auth/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="de"' in page
    response = client.post(
        "/auth/language", data={"lang-locale": "ja", "lang-csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    page = client.get("/auth/login", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="ja"' in page
    assert '<option lang="ja" selected value="ja">日本語</option>' in page

    user = make_user(languages=("fr",))
    login_as(user)  # no saved language: the sign-in page's choice still holds
    assert '<html lang="ja"' in client.get("/account").get_data(as_text=True)
    _prefer(session, user, "fr", None)
    assert '<html lang="fr"' in client.get("/account").get_data(as_text=True)


def test_visitor_cannot_choose_a_language_the_interface_lacks(client):
    page = client.get("/auth/login").get_data(as_text=True)
    client.post("/auth/language", data={"lang-locale": "xx", "lang-csrf_token": csrf_token(page)})
    html = client.get("/auth/login", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es"' in html


def test_account_page_saves_language_and_time_zone(client, session, login_as, make_user):
    user = make_user()
    login_as(user)
    page = client.get("/account").get_data(as_text=True)
    assert '<option value="Asia/Tokyo">Asia/Tokyo</option>' in page
    token = csrf_token(page)
    data = {"prefs-csrf_token": token, "prefs-locale": "ja", "prefs-timezone": "Asia/Tokyo"}
    assert client.post("/account/preferences", data=data).status_code == 302
    session.refresh(user)
    assert (user.locale, user.timezone) == ("ja", "Asia/Tokyo")
    assert '<html lang="ja"' in client.get("/account").get_data(as_text=True)

    for bad in ({"prefs-timezone": "Mars/Olympus_Mons"}, {"prefs-locale": "xx"}):
        response = client.post("/account/preferences", data={**data, **bad})
        assert response.status_code == 400
    session.refresh(user)
    assert (user.locale, user.timezone) == ("ja", "Asia/Tokyo")

    data.update({"prefs-locale": "", "prefs-timezone": "UTC"})  # back to the browser's language
    assert client.post("/account/preferences", data=data).status_code == 302
    session.refresh(user)
    assert (user.locale, user.timezone) == (None, "UTC")


def test_browser_zone_is_asked_once_and_never_overwrites_a_choice(
    client, session, login_as, make_user
):
    user = make_user()
    login_as(user)
    page = client.get("/queue/mine").get_data(as_text=True)
    assert 'id="timezone-guess"' in page
    token = csrf_token(page)
    bad = client.post("/account/timezone", data={"csrf_token": token, "timezone": "Nowhere/City"})
    assert bad.status_code == 400
    sent = client.post("/account/timezone", data={"csrf_token": token, "timezone": "Europe/Paris"})
    assert sent.status_code == 204
    again = client.post("/account/timezone", data={"csrf_token": token, "timezone": "Asia/Tokyo"})
    assert again.status_code == 204
    session.refresh(user)
    assert user.timezone == "Europe/Paris"
    assert 'id="timezone-guess"' not in client.get("/queue/mine").get_data(as_text=True)
    assert client.post("/account/timezone", data={"timezone": "Asia/Tokyo"}).status_code == 400


def test_error_pages_are_translated_and_right_to_left(client, session, login_as, make_user):
    user = make_user()
    _prefer(session, user, "ar", None)
    login_as(user)
    response = client.get("/tickets/424242")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    with force_locale("ar"):
        from flask_babel import gettext

        assert gettext("Back to the tickets") in html
