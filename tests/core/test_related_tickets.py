"""Related tickets: the ticket's distinctive terms as a query, within what the viewer sees."""

from __future__ import annotations

import pytest

from helpdesk.core.models import Role, Ticket
from helpdesk.core.services.related_tickets import related_tickets
from helpdesk.core.services.routing import correct_language
from helpdesk.core.unit_of_work import unit_of_work
from tests.factories import make_mail

FILLER = [
    "Thank you for the answer, the form is sent.",
    "The meeting is on Monday, thank you for the help.",
    "Can you send the form again? Thank you.",
    "The volunteers meet on Friday for the training.",
]


@pytest.fixture
def ticket_in(session, deliver):
    def make(language: str, body: str, subject: str = "Question") -> Ticket:
        result = deliver(make_mail(subject=subject, body=body))
        with unit_of_work(session):
            ticket = session.get(Ticket, result.ticket_id)
            correct_language(session, ticket, language, None)  # reindexes in that language
        return ticket

    return make


def test_related_tickets_share_distinctive_terms_and_respect_visibility(
    session, ticket_in, make_user
):
    for body in FILLER * 10:  # a term in more than a tenth of all messages is not distinctive
        ticket_in("en", body)
    ticket = ticket_in("en", "My passport with an apostille from Kyiv is blocked.", "Passport")
    close = ticket_in("en", "In Kyiv they lost my passport and the apostille, thank you.")
    loose = ticket_in("en", "Is a passport needed for the training?")
    # Same words in a French ticket (their terms are the same in French and English).
    hidden = ticket_in("fr", "Mon passport, une apostille, à Kyiv.")
    liaison = make_user(Role.LIAISON, languages=("en",))
    coordinator = make_user(Role.COORDINATOR, languages=("en",))

    seen = related_tickets(session, ticket, liaison)
    assert {"passport", "apostill", "kyiv"} <= set(seen.terms) and "the" not in seen.terms
    assert [t.id for t in seen.tickets][:2] == [close.id, loose.id]
    assert hidden.id not in {t.id for t in seen.tickets} and ticket not in seen.tickets
    assert seen.sharing is None  # only coordinators see how widespread

    overview = related_tickets(session, ticket, coordinator)
    assert hidden.id in {t.id for t in overview.tickets}
    # "passport", "apostille" and "Kyiv" all appear in the close one and the French one.
    assert overview.sharing == 2 and overview.sharing_exact


def test_a_ticket_with_nothing_distinctive_has_no_related_tickets(session, ticket_in, make_user):
    for body in FILLER * 3:
        ticket_in("en", body)
    lonely = ticket_in("en", "Xylophones quizzically vanish.")
    related = related_tickets(session, lonely, make_user(Role.COORDINATOR, languages=("en",)))
    assert related.tickets == [] and related.terms == []
