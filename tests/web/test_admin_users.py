"""The users page: invitations by one-time link, roles, languages, away, deactivation; audited."""

import re
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from helpdesk.core.errors import LastAdminError
from helpdesk.core.models import AuditAction, AuditEntry, OutboxMail, Role, User, utcnow
from helpdesk.core.services.staff import (
    StaffChanges,
    invite_user,
    set_staff_active,
    update_staff,
)
from helpdesk.core.services.users import assignable_users
from helpdesk.core.unit_of_work import unit_of_work

from ..conftest import csrf_token
from ..factories import PASSWORD


def _audit(session, action):
    return session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _invitation_link(session) -> str:
    mail = session.scalars(select(OutboxMail)).one()
    text = message_from_bytes(mail.content, policy=policy.default).get_body(("plain",))
    return re.search(r"http://[^/]+(/auth/invitation/\S+)", text.get_content()).group(1)


def _invite(client, post_form, email="new.liaison@example.org", languages=("fr", "ar")):
    return post_form(
        "/admin/users",
        "/admin/users/invite",
        {"email": email, "role": "coordinator", "languages": list(languages), "invite": "1"},
    )


def test_an_invitation_is_mailed_and_its_link_creates_the_account_once(
    client, session, login_as, make_user, post_form
):
    admin = make_user(Role.ADMIN)
    login_as(admin)
    response = _invite(client, post_form)
    assert response.status_code == 302, response.get_data(as_text=True)
    mail = session.scalars(select(OutboxMail)).one()
    assert mail.recipients == "new.liaison@example.org"
    (invited,) = _audit(session, AuditAction.USER_INVITED)
    assert invited.actor_id == admin.id and invited.after["role"] == "coordinator"
    assert "new.liaison@example.org" in client.get("/admin/users").get_data(as_text=True)

    link = _invitation_link(session)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/account").text)})
    page = client.get(link)
    assert page.status_code == 200 and "new.liaison@example.org" in page.text
    response = client.post(
        link, data={"name": "Nour", "password": PASSWORD, "csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 302
    user = session.scalars(select(User).where(User.email == "new.liaison@example.org")).one()
    assert (user.name, user.role, user.language_codes) == ("Nour", "coordinator", {"fr", "ar"})
    (created,) = _audit(session, AuditAction.USER_CREATED)
    assert created.actor_id == user.id and created.target_id == str(user.id)

    again = client.get(link)
    assert again.status_code == 410 and "already been used" in again.text


def test_an_expired_or_unknown_link_is_refused(client, session, make_user):
    admin = make_user(Role.ADMIN)
    with unit_of_work(session):
        _invitation, token = invite_user(
            session, admin, "late@example.org", Role.LIAISON, (), utcnow() - timedelta(hours=73)
        )
    response = client.get(f"/auth/invitation/{token}")
    assert response.status_code == 410 and "expired" in response.text
    assert client.post(f"/auth/invitation/{token}", data={}).status_code in (400, 410)
    assert session.scalars(select(User).where(User.email == "late@example.org")).first() is None
    assert client.get("/auth/invitation/not-a-token").status_code == 410


def test_role_languages_and_away_changes_are_audited(
    client, session, login_as, make_user, post_form
):
    admin = make_user(Role.ADMIN)
    liaison = make_user(Role.LIAISON, languages=("fr",))
    login_as(admin)
    prefix = f"u{liaison.id}-"
    data = {
        f"{prefix}name": "Renamed",
        f"{prefix}role": "coordinator",
        f"{prefix}languages": ["fr", "de"],
        f"{prefix}away": "y",
        f"{prefix}away_until": (utcnow() + timedelta(days=3)).date().isoformat(),
        f"{prefix}save": "1",
    }
    response = post_form("/admin/users", f"/admin/users/{liaison.id}", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    session.refresh(liaison)
    assert (liaison.role, liaison.name, liaison.language_codes) == (
        "coordinator",
        "Renamed",
        {"fr", "de"},
    )
    assert liaison.away and liaison.away_until is not None
    (role_change,) = _audit(session, AuditAction.ROLE_CHANGED)
    assert (role_change.before, role_change.after) == ({"role": "liaison"}, {"role": "coordinator"})
    (change,) = _audit(session, AuditAction.USER_CHANGED)
    assert change.after["languages"] == ["de", "fr"] and change.after["name"] == "Renamed"
    assert change.before["away"] is False and change.after["away"] is True


def test_a_deactivated_user_cannot_sign_in_until_reactivated(
    client, session, login_as, make_user, post_form
):
    admin = make_user(Role.ADMIN)
    liaison = make_user(Role.LIAISON)
    login_as(admin)
    url = f"/admin/users/{liaison.id}/active"
    assert post_form("/admin/users", url, {"deactivate": "1"}).status_code == 302
    session.refresh(liaison)
    assert not liaison.active
    assert liaison not in assignable_users(session)  # given no tickets
    assert len(_audit(session, AuditAction.USER_DEACTIVATED)) == 1
    assert "deactivated" in client.get("/admin/users").text

    other = client.application.test_client()
    page = other.get("/auth/login").text
    refused = other.post(
        "/auth/login",
        data={"email": liaison.email, "password": PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert refused.status_code == 200 and "Wrong email or password" in refused.text

    assert post_form("/admin/users", url, {"reactivate": "1"}).status_code == 302
    session.refresh(liaison)
    assert liaison.active
    assert len(_audit(session, AuditAction.USER_REACTIVATED)) == 1


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(
    client, session, login_as, make_user, post_form
):
    admin = make_user(Role.ADMIN)
    login_as(admin)
    prefix = f"u{admin.id}-"
    data = {f"{prefix}name": admin.name, f"{prefix}role": "liaison", f"{prefix}save": "1"}
    response = post_form("/admin/users", f"/admin/users/{admin.id}", data)
    assert response.status_code == 400 and "last active admin" in response.text
    session.refresh(admin)
    assert admin.role == Role.ADMIN
    assert not _audit(session, AuditAction.ROLE_CHANGED)

    second = make_user(Role.ADMIN)
    with pytest.raises(LastAdminError), unit_of_work(session):
        set_staff_active(session, admin, second, False)  # fine so far: admin stays
        set_staff_active(session, second, admin, False)  # now none would be left
    session.refresh(admin)
    assert admin.active and admin.role == Role.ADMIN
    with unit_of_work(session):  # with another admin, demoting is allowed
        update_staff(
            session,
            second,
            admin,
            StaffChanges(admin.name, Role.LIAISON, (), False, None),
            utcnow(),
        )
    assert admin.role == Role.LIAISON
