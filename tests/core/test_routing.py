"""Routing: the language decision rule and liaison choice."""

from helpdesk.core.models import EventKind, Role, Status, TicketEvent
from helpdesk.core.services.language_detection import Detection, get_detector
from helpdesk.core.services.routing import RoutingHints, choose_liaison, decide_language
from helpdesk.core.services.tickets import change_status
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import SAMPLE_TEXTS, make_mail


def test_confident_detection_wins_over_hints():
    decision = decide_language(Detection("de", 0.99), RoutingHints(mailbox_language="fr"))
    assert (decision.language, decision.rule) == ("de", "detected")


def test_low_confidence_falls_back_to_mailbox_then_requester_then_triage():
    unsure = Detection("es", 0.4)
    assert decide_language(unsure, RoutingHints("fr", "pt")).language == "fr"
    assert decide_language(unsure, RoutingHints(None, "pt")).rule == "requester_language"
    triage = decide_language(unsure, RoutingHints())
    assert (triage.language, triage.rule) == (None, "triage")


def test_detector_recognises_each_configured_language():
    detector = get_detector(list(SAMPLE_TEXTS))
    for code, sample in SAMPLE_TEXTS.items():
        assert detector.detect(sample["subject"] + "\n" + sample["body"]).language == code


def test_detector_never_answers_outside_configured_languages():
    detector = get_detector(["fr", "de"])
    assert detector.detect("Thank you very much for your help with the event").language in {
        "fr",
        "de",
    }


def test_liaison_with_fewest_open_tickets_gets_the_next(session, make_user, create_ticket):
    first = make_user(languages=("fr",))
    second = make_user(languages=("fr",))
    tickets = [create_ticket("fr") for _ in range(4)]
    assignees = [t.assignee_id for t in tickets]
    assert sorted(assignees) == sorted([first.id, first.id, second.id, second.id])
    with unit_of_work(session):
        for ticket in tickets:
            if ticket.assignee_id == first.id:
                change_status(session, ticket, Status.RESOLVED, None)
    assert choose_liaison(session, "fr") == first


def test_away_inactive_and_non_liaisons_get_no_tickets(session, make_user, create_ticket):
    away = make_user(languages=("de",))
    inactive = make_user(languages=("de",))
    make_user(Role.COORDINATOR, languages=("de",))
    with unit_of_work(session):
        away.away = True
        inactive.active = False
    ticket = create_ticket("de")
    assert ticket.language_code == "de"
    assert ticket.assignee is None
    [routed] = session.query(TicketEvent).filter_by(ticket_id=ticket.id, kind=EventKind.ROUTED)
    assert routed.data["language"] == "de" and routed.data["assignee_id"] is None


def test_new_ticket_routed_by_mailbox_when_text_is_ambiguous(session, deliver, make_user):
    from helpdesk.core.models import Mailbox, Ticket

    liaison = make_user(languages=("pt",))
    with unit_of_work(session):
        session.add(Mailbox(address="pt@example.org", default_language_code="pt"))
    result = deliver(make_mail(subject="ok", body="ok 123", to="pt@example.org"))
    ticket = session.get(Ticket, result.ticket_id)
    assert ticket.language_code == "pt"
    assert ticket.routing_rule == "mailbox_default"
    assert ticket.assignee == liaison
