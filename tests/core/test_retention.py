"""The retention policy: the dry run changes nothing; applying it closes idle tickets of the
mailboxes that have a policy and purges their raw mail and attachments, and only theirs."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from helpdesk.core.blob_stores import blob_stores
from helpdesk.core.errors import RetentionMonthsInvalid
from helpdesk.core.models import (
    Attachment,
    AuditAction,
    AuditEntry,
    Mailbox,
    RawMail,
    Status,
    Ticket,
    utcnow,
)
from helpdesk.core.services.privacy.retention import (
    apply_retention,
    months_before,
    retention_report,
    set_retention,
)
from helpdesk.core.unit_of_work import unit_of_work

from ..privacy_scenario import mail_with_attachment


@pytest.fixture
def tickets(session, deliver):
    """Mailbox with a 6-month policy: one ticket idle for a year, one active today; a mailbox
    without a policy with a ticket idle for a year."""
    kept, policy = Mailbox(address="keep@example.org"), Mailbox(address="purge@example.org")
    made = {}
    with unit_of_work(session):
        session.add_all([kept, policy])
        session.flush()
        set_retention(session, policy, 6, None)
        for name, box, age in [("old", policy, 365), ("new", policy, 1), ("kept", kept, 365)]:
            ticket = session.get(Ticket, deliver(mail_with_attachment(subject=name)).ticket_id)
            ticket.mailbox_id = box.id
            ticket.updated_at = utcnow() - timedelta(days=age)
            made[name] = ticket
    return made


def _bytes_of(session, ticket):
    ids = [m.id for m in ticket.messages]
    return (
        session.scalar(select(func.count(RawMail.id)).where(RawMail.message_id.in_(ids))),
        session.scalar(select(func.count(Attachment.id)).where(Attachment.message_id.in_(ids))),
    )


def test_report_counts_and_changes_nothing(session, tickets):
    [report] = retention_report(session)
    session.rollback()
    assert (report.address, report.months, report.tickets, report.to_close) == (
        "purge@example.org",
        6,
        1,
        1,
    )
    assert (report.raw_mails, report.attachments) == (1, 1)
    assert report.raw_bytes > report.attachment_bytes > 0
    assert all(_bytes_of(session, t) == (1, 1) for t in tickets.values())
    assert tickets["old"].status == Status.NEW


@pytest.mark.usefixtures("blob_backend")
def test_apply_purges_only_old_tickets_of_mailboxes_with_a_policy(app, session, tickets):
    stores = blob_stores(app.config)
    digest = tickets["old"].messages[0].attachments[0].sha256
    raw_digest = session.scalar(
        select(RawMail.sha256).where(RawMail.message_id == tickets["old"].messages[0].id)
    )
    with unit_of_work(session):
        apply_retention(session, stores)
    session.expire_all()
    assert _bytes_of(session, tickets["old"]) == (0, 0)
    assert session.get(Ticket, tickets["old"].id).status == Status.CLOSED
    assert tickets["old"].messages[0].text  # the conversation stays readable
    assert _bytes_of(session, tickets["new"]) == (1, 1)
    assert _bytes_of(session, tickets["kept"]) == (1, 1)
    assert not stores["raw"].exists(raw_digest)
    # the same attachment bytes are still named by the other tickets' rows: they stay
    assert stores["attachments"].exists(digest)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == AuditAction.RETENTION_RUN))
    [counts] = entry.after["mailboxes"]
    assert (counts["tickets"], counts["raw_mails"], counts["attachments"]) == (1, 1, 1)
    assert retention_report(session)[0].tickets == 0  # nothing left to do


def test_nothing_to_do_leaves_no_audit_entry(app, session):
    with unit_of_work(session):
        assert apply_retention(session, blob_stores(app.config)) == []
    assert session.scalar(select(func.count(AuditEntry.id))) == 0


def test_months_before_clamps_to_the_month_end():
    assert months_before(datetime(2026, 3, 31, 8), 1) == datetime(2026, 2, 28, 8)
    assert months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


@pytest.mark.parametrize("months", [0, -1, 1201])
def test_retention_months_are_checked(session, months):
    box = Mailbox(address="x@example.org")
    session.add(box)
    with pytest.raises(RetentionMonthsInvalid):
        set_retention(session, box, months, None)
