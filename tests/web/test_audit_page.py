"""The audit log page: admins only, filterable, with the address each change came from."""

import pytest

from helpdesk.core.models import AuditAction, Role
from helpdesk.core.services.audit import AuditFilter, audit_entries


@pytest.mark.parametrize("role", [Role.LIAISON, Role.COORDINATOR])
def test_only_admins_see_the_audit_log(client, login_as, make_user, role):
    login_as(make_user(role))
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/").status_code == 403


def test_a_queue_change_is_audited_with_before_after_and_address(
    client, session, login_as, make_user, post_form
):
    admin = make_user(Role.ADMIN)
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"  # before signing in: sessions are bound
    login_as(admin)
    data = {
        "fr-assignment_strategy": "unassigned",
        "fr-first_response_hours": "4",
        "fr-resolution_hours": "72",
        "fr-opens_at": "09:00",
        "fr-closes_at": "17:00",
        "fr-working_days": ["1", "2", "3", "4", "5"],
        "fr-timezone": "Europe/Paris",
        "fr-active": "y",
        "fr-save": "1",
    }
    response = post_form("/admin/languages", "/admin/languages/fr", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    (entry,) = audit_entries(session, AuditFilter(action=AuditAction.LANGUAGE_CHANGED))
    assert (entry.actor_id, entry.address, entry.target_id) == (admin.id, "198.51.100.23", "fr")
    assert entry.after["assignment_strategy"] == "unassigned"
    assert entry.before["assignment_strategy"] != "unassigned"

    page = client.get("/admin/audit?action=language_changed").get_data(as_text=True)
    assert "198.51.100.23" in page and admin.email in page and "unassigned" in page
    assert "No entries match." in client.get("/admin/audit?action=user_invited").get_data(
        as_text=True
    )
    assert "Audit log" in client.get("/admin/").get_data(as_text=True)


def test_a_bad_date_filter_shows_everything_with_a_message(client, login_as, make_user):
    login_as(make_user(Role.ADMIN))
    response = client.get("/admin/audit?since=yesterday")
    assert response.status_code == 200
    assert "Not a valid date value" in response.get_data(as_text=True)
