"""Bulk actions on the queue page: coordinators and admins only, CSRF-protected, back to the
filtered page they came from."""

import pytest

from helpdesk.core.models import EventKind, Role, Status, Ticket, TicketEvent

from ..conftest import csrf_token


def _bulk(post_form, data, page="/queue/all?language=fr"):
    return post_form(page, "/queue/bulk", {"return_to": page, **data})


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinator_and_admin_reassign_in_bulk(
    client, login_as, make_user, create_ticket, post_form, session, role
):
    make_user(languages=("fr",))
    other = make_user(languages=("de",), name="Zoé Martin")
    tickets = [create_ticket("fr"), create_ticket("fr")]
    login_as(make_user(role, languages=()))
    response = _bulk(
        post_form,
        {"ticket_ids": [t.id for t in tickets], "assignee": str(other.id), "assign": "Assign"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/queue/all?language=fr"
    session.expire_all()
    assert {session.get(Ticket, t.id).assignee_id for t in tickets} == {other.id}
    page = client.get("/queue/all?language=fr").get_data(as_text=True)
    assert "2 ticket(s) reassigned." in page
    assert page.count("Zoé Martin</bdi>") == 2


def test_bulk_status_tag_and_merge(client, login_as, make_user, create_ticket, post_form, session):
    login_as(make_user(Role.COORDINATOR, languages=()))
    older, newer = create_ticket("fr"), create_ticket("fr", subject="Encore moi")
    ids = [older.id, newer.id]
    _bulk(post_form, {"ticket_ids": ids, "status": "pending", "change_status": "Set"})
    _bulk(post_form, {"ticket_ids": ids, "tag": "Doublon", "add_tag": "Add"})
    session.expire_all()
    assert {session.get(Ticket, i).status for i in ids} == {Status.PENDING}
    assert [t.name for t in session.get(Ticket, newer.id).tags] == ["doublon"]

    _bulk(post_form, {"ticket_ids": [older.id], "merge": "Merge"})
    assert "Tick exactly two tickets" in client.get("/queue/all").get_data(as_text=True)
    _bulk(post_form, {"ticket_ids": ids, "merge": "Merge"})
    session.expire_all()
    assert session.get(Ticket, newer.id).merged_into_id == older.id
    assert f"Merged into #{older.id}." in client.get("/queue/all").get_data(as_text=True)


def test_liaison_bulk_post_is_forbidden_and_changes_nothing(
    client, login_as, make_user, create_ticket, session
):
    liaison = make_user(languages=("fr",))
    ticket = create_ticket("fr")
    login_as(liaison)
    token = csrf_token(client.get("/queue/mine").get_data(as_text=True))
    for action in ({"assign": "x", "assignee": "nobody"}, {"merge": "x"}, {"add_tag": "x"}):
        response = client.post(
            "/queue/bulk", data={"ticket_ids": [ticket.id], "csrf_token": token, **action}
        )
        assert response.status_code == 403
    session.expire_all()
    assert session.get(Ticket, ticket.id).assignee_id == liaison.id
    assert (
        session.query(TicketEvent).filter_by(kind=EventKind.ASSIGNED, actor_id=liaison.id).all()
        == []
    )


def test_bulk_needs_csrf_and_a_selection(client, login_as, make_user, create_ticket, post_form):
    login_as(make_user(Role.COORDINATOR, languages=()))
    ticket = create_ticket("fr")
    response = client.post("/queue/bulk", data={"ticket_ids": [ticket.id], "assign": "x"})
    assert response.status_code == 400
    response = _bulk(post_form, {"assign": "x", "assignee": "nobody"})
    assert response.status_code == 302
    assert "Tick at least one ticket" in client.get("/queue/all").get_data(as_text=True)


def test_bulk_never_redirects_off_site(client, login_as, make_user, create_ticket, post_form):
    login_as(make_user(Role.COORDINATOR, languages=()))
    ticket = create_ticket("fr")
    for target in ("https://evil.example/queue/all", "//evil.example/queue/", "/auth/logout"):
        response = post_form(
            "/queue/all",
            "/queue/bulk",
            {"ticket_ids": [ticket.id], "tag": "x", "add_tag": "x", "return_to": target},
        )
        assert response.headers["Location"] == "/queue/all", target


def test_liaison_cannot_see_all_view_but_admin_can(client, login_as, make_user):
    login_as(make_user(languages=("fr",)))
    assert client.get("/queue/all").status_code == 403
    client.post(
        "/auth/logout",
        data={"csrf_token": csrf_token(client.get("/queue/mine").get_data(as_text=True))},
    )
    login_as(make_user(Role.ADMIN, languages=()))
    page = client.get("/queue/all").get_data(as_text=True)
    assert 'id="bulk"' in page


def test_logged_out_user_is_sent_to_sign_in(client):
    for url in ("/queue/all", "/queue/mine"):
        assert client.get(url).status_code == 302
    assert client.post("/queue/bulk").status_code in (302, 400)
