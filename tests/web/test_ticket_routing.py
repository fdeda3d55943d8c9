"""The ticket page explains how the ticket was routed, and lets staff correct the language or
take an unassigned ticket."""

from helpdesk.core.models import AssignmentStrategy, EventKind, Language, Ticket, TicketEvent
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import make_mail


def test_page_explains_a_confident_detection(client, login_as, make_user, create_ticket):
    liaison = make_user(languages=("fr",), name="Camille Durand")
    ticket = create_ticket("fr")
    login_as(liaison)
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    explanation = page[page.index("Why this queue") :]
    assert 'data-rule="detected"' in explanation
    assert "Detected language: <bdi>Français</bdi> (fr)" in explanation
    assert "Confident enough to decide." in explanation
    assert "Given to Camille Durand" in explanation


def test_page_explains_a_fallback_to_the_mailbox_language(
    client, session, login_as, make_user, deliver
):
    from helpdesk.core.models import Mailbox

    with unit_of_work(session):
        session.add(Mailbox(address="pt@example.org", default_language_code="pt"))
    liaison = make_user(languages=("pt",))
    result = deliver(make_mail(subject="ok", body="ok 123", to="pt@example.org"))
    login_as(liaison)
    page = client.get(f"/tickets/{result.ticket_id}").get_data(as_text=True)
    explanation = page[page.index("Why this queue") :]
    assert 'data-rule="mailbox_default"' in explanation
    assert "Not confident enough; decided by the address it was sent to" in explanation
    assert "Hints:" in explanation and "the address it was sent to → pt" in explanation


def test_liaison_corrects_the_language_and_the_ticket_moves(
    client, session, login_as, make_user, create_ticket, post_form
):
    french = make_user(languages=("fr",), name="Camille")
    spanish = make_user(languages=("es",), name="Lucía")
    ticket = create_ticket("fr")
    login_as(french)
    url = f"/tickets/{ticket.id}"
    response = post_form(url, f"{url}/language", {"language": "es"})
    # the ticket left Camille's languages: back to her queue
    assert response.status_code == 302 and response.headers["Location"] == "/"
    session.expire_all()
    moved = session.get(Ticket, ticket.id)
    assert (moved.language_code, moved.assignee_id) == ("es", spanish.id)
    assert client.get(url).status_code == 403

    post_form("/queue/mine", "/auth/logout", {})
    login_as(spanish)
    page = client.get(url).get_data(as_text=True)
    assert "Moved from <bdi>Français</bdi> (fr) to <bdi>Español</bdi> (es) by Camille." in page


def test_a_language_that_is_not_offered_is_refused(
    client, session, login_as, make_user, create_ticket, post_form
):
    ticket = create_ticket("fr")
    login_as(make_user(languages=("fr",)))
    url = f"/tickets/{ticket.id}"
    response = post_form(url, f"{url}/language", {"language": "tlh"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert session.get(Ticket, ticket.id).language_code == "fr"


def test_liaison_takes_a_ticket_from_a_claim_only_queue(
    client, session, login_as, make_user, create_ticket, post_form
):
    with unit_of_work(session):
        session.get(Language, "de").assignment_strategy = AssignmentStrategy.UNASSIGNED
    liaison = make_user(languages=("de",))
    ticket = create_ticket("de")
    assert ticket.assignee is None
    login_as(liaison)
    url = f"/tickets/{ticket.id}"
    assert "Left in the queue for a liaison to take." in client.get(url).get_data(as_text=True)
    post_form(url, f"{url}/claim", {"claim": "1"})
    session.expire_all()
    assert session.get(Ticket, ticket.id).assignee_id == liaison.id
    [event] = session.query(TicketEvent).filter_by(ticket_id=ticket.id, kind=EventKind.ASSIGNED)
    assert event.actor_id == liaison.id
    # taken: nobody can take it again
    other = make_user(languages=("de",))
    post_form("/queue/mine", "/auth/logout", {})
    login_as(other)
    assert "Take this ticket" not in client.get(url).get_data(as_text=True)
    post_form(url, f"{url}/claim", {"claim": "1"})
    session.expire_all()
    assert session.get(Ticket, ticket.id).assignee_id == liaison.id


def test_the_acknowledgement_is_shown_as_automatic(client, session, login_as, make_user, deliver):
    from helpdesk.database import seed_acknowledgement_texts

    from ..factories import sample_mail

    with unit_of_work(session):
        seed_acknowledgement_texts()
    liaison = make_user(languages=("es",))
    ticket_id = deliver(sample_mail("es")).ticket_id
    login_as(liaison)
    page = client.get(f"/tickets/{ticket_id}").get_data(as_text=True)
    assert page.count("automatic acknowledgement") == 1
    assert "Gracias por su mensaje" in page


def test_coordinator_reassigns_from_the_ticket_page(
    client, session, login_as, make_user, create_ticket, post_form
):
    from helpdesk.core.models import Role

    first = make_user(languages=("fr",), name="Camille")
    second = make_user(languages=("fr",), name="Zoé")
    coordinator = make_user(Role.COORDINATOR, languages=())
    ticket = create_ticket("fr")
    assert ticket.assignee_id == first.id
    login_as(coordinator)
    url = f"/tickets/{ticket.id}"
    assert post_form(url, f"{url}/assign", {"assignee": str(second.id)}).status_code == 302
    session.expire_all()
    assert session.get(Ticket, ticket.id).assignee_id == second.id
    [event] = session.query(TicketEvent).filter_by(ticket_id=ticket.id, kind=EventKind.ASSIGNED)
    assert event.actor_id == coordinator.id and event.data["previous_assignee_id"] == first.id
    post_form(url, f"{url}/assign", {"assignee": ""})  # back to the queue
    session.expire_all()
    assert session.get(Ticket, ticket.id).assignee_id is None
    assert post_form(url, f"{url}/assign", {"assignee": "999999"}).status_code == 400


def test_liaisons_cannot_reassign(client, session, login_as, make_user, create_ticket, post_form):
    liaison = make_user(languages=("fr",))
    other = make_user(languages=("fr",))
    ticket = create_ticket("fr")
    login_as(liaison)
    url = f"/tickets/{ticket.id}"
    assert "Reassign" not in client.get(url).get_data(as_text=True)
    assert post_form(url, f"{url}/assign", {"assignee": str(other.id)}).status_code == 403
