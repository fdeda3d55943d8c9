"""The retention worker applies the policy at once, then once a day until stopped."""

import threading
from datetime import timedelta

from sqlalchemy import select

from helpdesk.core.models import AuditAction, AuditEntry, Mailbox, Status, Ticket, utcnow
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.workers.retention import run_retention_worker

from ..factories import sample_mail


def test_one_pass_then_stops(app, session, deliver):
    with unit_of_work(session):
        box = Mailbox(address="help@example.org", retention_months=1)
        session.add(box)
        session.flush()
        ticket = session.get(Ticket, deliver(sample_mail("fr")).ticket_id)
        ticket.mailbox_id, ticket.updated_at = box.id, utcnow() - timedelta(days=90)
    stop = threading.Event()
    stop.set()  # one pass, then the wait returns at once
    run_retention_worker(app, stop)
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == Status.CLOSED
    assert session.scalar(select(AuditEntry.action)) == AuditAction.RETENTION_RUN
