"""The requester card's export and erase actions, and the retention page: who may use them, and
what they do."""

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from helpdesk.core.models import AuditAction, AuditEntry, Contact, Mailbox, Role

from ..conftest import csrf_token
from ..privacy_scenario import NAME, PHRASE, zorblatt  # noqa: F401


def _ticket_url(scenario):
    return f"/tickets/{scenario.tickets[0].id}"


def test_coordinator_exports_from_the_card(client, login_as, post_form, zorblatt):  # noqa: F811
    login_as(zorblatt.coordinator)
    page = client.get(_ticket_url(zorblatt)).get_data(as_text=True)
    assert "Export their data" in page and "Erase this requester" not in page
    response = post_form(
        _ticket_url(zorblatt), f"{_ticket_url(zorblatt)}/requester/export", {"export": "1"}
    )
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f"requester-{zorblatt.contact.id}.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    response.close()  # as the WSGI server does: the temporary file goes with it
    assert json.loads(archive.read("manifest.json"))["requester"]["name"] == NAME


def test_export_needs_the_csrf_token(client, login_as, zorblatt):  # noqa: F811
    login_as(zorblatt.admin)
    response = client.post(f"{_ticket_url(zorblatt)}/requester/export", data={"export": "1"})
    assert response.status_code == 400


def test_liaison_may_neither_export_nor_erase(
    client,
    login_as,
    session,
    make_user,
    zorblatt,  # noqa: F811
):
    liaison = make_user(Role.LIAISON, languages=("en", "fr", "de", "es"))
    login_as(liaison)
    url = _ticket_url(zorblatt)
    page = client.get(url).get_data(as_text=True)
    assert "Export their data" not in page and "Erase this requester" not in page
    token = csrf_token(page)
    assert client.post(f"{url}/requester/export", data={"csrf_token": token}).status_code == 403
    assert client.get(f"{url}/requester/erase").status_code == 403
    assert client.post(f"{url}/requester/erase", data={"csrf_token": token}).status_code == 403
    assert session.scalar(select(AuditEntry.id)) is None


def test_coordinator_may_not_erase(client, login_as, zorblatt):  # noqa: F811
    login_as(zorblatt.coordinator)
    assert client.get(f"{_ticket_url(zorblatt)}/requester/erase").status_code == 403


def test_admin_erases_after_a_confirmation_page(
    client,
    login_as,
    post_form,
    session,
    zorblatt,  # noqa: F811
):
    login_as(zorblatt.admin)
    url = f"{_ticket_url(zorblatt)}/requester/erase"
    page = client.get(url).get_data(as_text=True)
    assert NAME in page and "cannot be undone" in page and "1 attachment" in page
    assert session.get(Contact, zorblatt.contact.id).name == NAME  # nothing yet
    response = post_form(url, url, {"erase": "1"}, follow_redirects=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f"Erased requester #{zorblatt.contact.id}" in text
    assert NAME not in text and PHRASE not in text
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.REQUESTER_ERASED)
    )
    assert entry.actor_id == zorblatt.admin.id


@pytest.mark.parametrize("role", [Role.LIAISON, Role.COORDINATOR])
def test_retention_page_is_for_admins(client, login_as, make_user, role):
    login_as(make_user(role))
    assert client.get("/admin/retention").status_code == 403


def test_admin_sets_retention_and_sees_the_dry_run(client, login_as, post_form, session, make_user):
    session.add(Mailbox(address="help@example.org"))
    session.commit()
    box = session.scalar(select(Mailbox))
    login_as(make_user(Role.ADMIN))
    assert "No mailbox has a retention period" in client.get("/admin/retention").get_data(
        as_text=True
    )
    response = post_form(
        "/admin/retention",
        f"/admin/retention/{box.id}",
        {"months": "18", "save": "1"},
        follow_redirects=True,
    )
    session.refresh(box)
    assert box.retention_months == 18
    assert "Apply the policy now" in response.get_data(as_text=True)
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.MAILBOX_CHANGED)
    )
    assert entry.after == {"retention_months": 18}
