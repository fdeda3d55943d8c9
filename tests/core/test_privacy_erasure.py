"""Erasing a requester: nothing of their name, address or text left in the database, its log,
the data directory or the search index; ticket statistics kept; counts-only audit entries."""

from email.message import EmailMessage

import pytest
from sqlalchemy import func, select

from helpdesk.core.blob_stores import blob_stores
from helpdesk.core.errors import PrivacyNotPermitted
from helpdesk.core.models import (
    AuditAction,
    AuditEntry,
    Contact,
    EventKind,
    Message,
    Ticket,
    TicketEvent,
)
from helpdesk.core.services.privacy.erasure import erase_requester, erasure_plan
from helpdesk.core.services.search import SearchFilters, search_tickets
from helpdesk.core.unit_of_work import unit_of_work

from ..privacy_scenario import (  # noqa: F401
    ATTACHMENT,
    NAME,
    PHRASE,
    TOKENS,
    leftover_tokens,
    zorblatt,
)


def _erase(app, session, contact, actor):
    with unit_of_work(session):
        return erase_requester(
            session, blob_stores(app.config), contact, actor, app.config["OUTBOX_DIR"]
        )


def _stats(session):
    return (
        session.scalar(select(func.count(Ticket.id))),
        session.scalar(select(func.count(Message.id))),
        [
            (t.id, t.status, t.language_code, t.created_at, t.first_response_at)
            for t in session.scalars(select(Ticket).order_by(Ticket.id))
        ],
        session.execute(
            select(TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.created_at).order_by(
                TicketEvent.id
            )
        ).all(),
    )


@pytest.mark.usefixtures("blob_backend")
def test_erasure_leaves_no_trace_anywhere(app, session, zorblatt):  # noqa: F811
    assert set(leftover_tokens(app, session)) == set(TOKENS)  # the scenario put them everywhere
    before = _stats(session)
    plan = _erase(app, session, zorblatt.contact, zorblatt.admin)
    session.expire_all()
    assert (plan.tickets, plan.attachments, plan.raw_mails, plan.outbox_mails) == (2, 1, 2, 1)
    assert leftover_tokens(app, session) == {}
    assert _stats(session) == before
    contact = session.get(Contact, zorblatt.contact.id)
    assert (contact.name, contact.email) == (f"Erased requester #{contact.id}", None)


def test_search_finds_nothing_after_erasure(app, session, zorblatt):  # noqa: F811
    def hits(query):
        return search_tickets(session, query, None, SearchFilters()).hits

    assert hits(PHRASE) and hits(NAME.split()[0])
    _erase(app, session, zorblatt.contact, zorblatt.admin)
    assert not hits(PHRASE) and not hits(NAME.split()[0]) and not hits("Flumbergast")
    assert hits("bystander")  # others' postings stay


def test_bystander_keeps_everything(app, session, zorblatt):  # noqa: F811
    _erase(app, session, zorblatt.contact, zorblatt.admin)
    session.expire_all()
    other = session.get(Ticket, zorblatt.other.id)
    assert other.subject == "Bystander question"
    assert other.messages[0].text.startswith("Plain words")
    assert other.requester.email == "bystander@example.com"


def test_reply_kept_as_an_event_without_its_text(app, session, zorblatt):  # noqa: F811
    _erase(app, session, zorblatt.contact, zorblatt.admin)
    session.expire_all()
    ticket = session.get(Ticket, zorblatt.tickets[0].id)
    replies = [m for m in ticket.messages if m.direction == "out"]
    assert len(replies) == 1 and replies[0].text == "" and replies[0].to == ""
    kinds = session.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id))
    assert EventKind.REPLIED in set(kinds)


def test_audit_entry_has_counts_and_no_personal_data(app, session, zorblatt):  # noqa: F811
    _erase(app, session, zorblatt.contact, zorblatt.admin)
    entry = session.scalar(
        select(AuditEntry).where(AuditEntry.action == AuditAction.REQUESTER_ERASED)
    )
    assert entry.actor_id == zorblatt.admin.id
    assert (entry.target_type, entry.target_id) == ("contacts", str(zorblatt.contact.id))
    assert entry.after["tickets"] == 2 and entry.after["messages"] == 3
    assert not any(token.lower() in str(entry.after).lower() for token in TOKENS)


@pytest.mark.parametrize("role", ["liaison", "coordinator"])
def test_only_admins_erase(app, session, zorblatt, role):  # noqa: F811
    with pytest.raises(PrivacyNotPermitted):
        _erase(app, session, zorblatt.contact, getattr(zorblatt, role))
    assert session.get(Contact, zorblatt.contact.id).name == NAME


def test_plan_counts_what_goes(session, zorblatt):  # noqa: F811
    plan = erasure_plan(session, zorblatt.contact)
    assert (plan.tickets, plan.messages, plan.attachments) == (2, 3, 1)


def test_bytes_another_requester_shares_stay(app, session, deliver, zorblatt):  # noqa: F811
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "b@example.com", "help@example.org", "Same file"
    mail.set_content("Here is the same scan")
    mail.add_attachment(ATTACHMENT, maintype="application", subtype="pdf", filename="scan.pdf")
    shared = session.get(Ticket, deliver(mail.as_bytes()).ticket_id)
    digest = shared.messages[0].attachments[0].sha256
    _erase(app, session, zorblatt.contact, zorblatt.admin)
    assert blob_stores(app.config)["attachments"].get(digest) == ATTACHMENT
