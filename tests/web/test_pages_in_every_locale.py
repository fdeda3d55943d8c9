"""Every page renders in every interface language, in the right direction, without errors."""

from __future__ import annotations

from datetime import timedelta

from helpdesk.core.models import Language, Role, User, utcnow
from helpdesk.core.services.reply_templates import create_template
from helpdesk.core.unit_of_work import unit_of_work

from ..conftest import LANGUAGES, csrf_token
from ..factories import PASSWORD

BROKEN_MAIL = b"not mail, not a single header\r\n\r\nwho am I?"


def _pages(ticket_id: int, template_id: int) -> dict[str, int]:
    """Each page (and the error pages) with the status it answers."""
    return {
        "/queue/mine": 200,
        "/queue/all": 200,
        "/queue/languages": 200,
        f"/tickets/{ticket_id}": 200,
        "/search?q=meeting": 200,
        "/dashboard/": 200,
        "/dashboard/report": 200,
        "/account": 200,
        "/admin/quarantine": 200,
        "/admin/languages": 200,
        "/admin/": 200,
        "/admin/audit": 200,
        "/admin/users": 200,
        "/admin/mailboxes": 200,
        "/admin/outgoing-mail": 200,
        "/admin/retention": 200,
        f"/admin/templates/{template_id}/history/fr": 200,
        "/admin/templates": 200,
        f"/admin/templates/{template_id}": 200,
        "/tickets/999999": 404,
        "/no/such/page": 404,
    }


def test_every_page_in_every_locale(
    app, client, session, login_as, make_user, create_ticket, deliver
):
    admin = make_user(Role.ADMIN, languages=("fr", "ar", "ja"))
    liaison = make_user(languages=("de",))
    ticket = create_ticket("ar")
    create_ticket("ja")
    deliver(BROKEN_MAIL)  # one quarantined mail on the admin's page
    with unit_of_work(session):
        template = create_template(session, admin, "Opening hours")
        session.get(Language, "ar").sla_policy.first_response_hours = 24
        ticket.created_at = utcnow() - timedelta(hours=30)
        admin.timezone = "Asia/Tokyo"
    pages = _pages(ticket.id, template.id)
    login_as(admin)
    anonymous, other = app.test_client(), app.test_client()
    _sign_in(other, liaison)  # no saved language: the browser's rules
    failures = []
    for code in LANGUAGES:
        with unit_of_work(session):
            session.get(User, admin.id).locale = code
        direction = "rtl" if code == "ar" else "ltr"
        opening = f'<html lang="{code}" dir="{direction}">'
        for url, status in pages.items():
            response = client.get(url)
            if response.status_code != status or opening not in response.get_data(as_text=True):
                failures.append((code, url, response.status_code))
        forbidden = other.get("/admin/quarantine", headers={"Accept-Language": code})
        login_page = anonymous.get("/auth/login", headers={"Accept-Language": code})
        for url, response, status in (("403", forbidden, 403), ("login", login_page, 200)):
            if response.status_code != status or opening not in response.get_data(as_text=True):
                failures.append((code, url, response.status_code))
    assert failures == []


def _sign_in(test_client, user: User) -> None:
    page = test_client.get("/auth/login").get_data(as_text=True)
    data = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page)}
    assert test_client.post("/auth/login", data=data).status_code == 302
