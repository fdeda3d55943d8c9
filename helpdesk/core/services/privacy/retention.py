"""The retention policy: a mailbox keeps tickets' raw mail and attachments for N months after
their last activity; then the ticket is closed and those bytes are purged. The conversation
itself (message texts) stays readable; erase a requester to remove that too."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ...db_session import DbSession
from ...errors import RetentionMonthsInvalid
from ...models import (
    Attachment,
    AuditAction,
    Mailbox,
    Message,
    RawMail,
    Status,
    Ticket,
    User,
    utcnow,
)
from ...storage import BlobStore
from ..audit import record_audit
from ..tickets import change_status
from .common import checkpoint_after_commit, forget_blobs

MAX_MONTHS = 1200


@dataclass
class MailboxRetention:
    """One mailbox's share of a retention run (what would be, or was, purged)."""

    mailbox_id: int
    address: str
    months: int
    cutoff: datetime
    tickets: int = 0  # idle tickets with something to purge or close
    to_close: int = 0
    raw_mails: int = 0
    raw_bytes: int = 0
    attachments: int = 0
    attachment_bytes: int = 0
    ticket_ids: list[int] = field(default_factory=list, repr=False)

    def counts(self) -> dict[str, object]:
        values = asdict(self)
        values.pop("ticket_ids")
        values["cutoff"] = self.cutoff.isoformat()
        return values


def set_retention(
    session: DbSession, mailbox: Mailbox, months: int | None, actor: User | None
) -> None:
    """Set (or with None clear) a mailbox's retention period; audited as a mailbox change."""
    if months is not None and not 1 <= months <= MAX_MONTHS:
        raise RetentionMonthsInvalid(str(months), MAX_MONTHS)
    before = {"retention_months": mailbox.retention_months}
    mailbox.retention_months = months
    record_audit(
        session,
        actor,
        AuditAction.MAILBOX_CHANGED,
        target=mailbox,
        before=before,
        after={"retention_months": months},
    )
    session.flush()


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when
    that month is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def retention_report(session: DbSession, now: datetime | None = None) -> list[MailboxRetention]:
    """The dry run: per mailbox with a policy, what applying it now would close and purge.
    Changes nothing."""
    now = now or utcnow()
    mailboxes = session.scalars(
        select(Mailbox).where(Mailbox.retention_months.is_not(None)).order_by(Mailbox.address)
    )
    return [_mailbox_report(session, box, now) for box in mailboxes]


def _mailbox_report(session: DbSession, box: Mailbox, now: datetime) -> MailboxRetention:
    months = box.retention_months or 0
    report = MailboxRetention(box.id, box.address, months, months_before(now, months))
    idle = select(Ticket.id).where(Ticket.mailbox_id == box.id, Ticket.updated_at < report.cutoff)
    messages = select(Message.id).where(Message.ticket_id.in_(idle))
    raw = session.execute(
        select(func.count(RawMail.id), func.coalesce(func.sum(RawMail.size), 0)).where(
            RawMail.message_id.in_(messages)
        )
    ).one()
    files = session.execute(
        select(func.count(Attachment.id), func.coalesce(func.sum(Attachment.size), 0)).where(
            Attachment.message_id.in_(messages)
        )
    ).one()
    report.raw_mails, report.raw_bytes = int(raw[0]), int(raw[1])
    report.attachments, report.attachment_bytes = int(files[0]), int(files[1])
    with_bytes = select(Message.ticket_id).where(
        Message.id.in_(select(RawMail.message_id).where(RawMail.message_id.in_(messages)))
        | Message.id.in_(select(Attachment.message_id).where(Attachment.message_id.in_(messages)))
    )
    open_ids = set(session.scalars(idle.where(Ticket.status != Status.CLOSED)))
    report.ticket_ids = sorted(open_ids | set(session.scalars(with_bytes)))
    report.tickets, report.to_close = len(report.ticket_ids), len(open_ids)
    return report


def apply_retention(
    session: DbSession,
    stores: Mapping[str, BlobStore],
    actor: User | None = None,
    now: datetime | None = None,
) -> list[MailboxRetention]:
    """Close idle tickets and purge their raw mail and attachments (blobs after the caller's
    commit, unless other rows still name them). One audit entry with the counts, when
    anything was done."""
    reports = retention_report(session, now)
    for report in reports:
        _purge(session, stores, report)
    if not any(report.tickets for report in reports):
        return reports  # nothing done: no entry a day saying so
    record_audit(
        session,
        actor,
        AuditAction.RETENTION_RUN,
        target_type="retention",
        after={"mailboxes": [r.counts() for r in reports]},
    )
    checkpoint_after_commit(session)
    return reports


def _purge(session: DbSession, stores: Mapping[str, BlobStore], report: MailboxRetention) -> None:
    for start in range(0, len(report.ticket_ids), 500):
        chunk = report.ticket_ids[start : start + 500]
        tickets = session.scalars(select(Ticket).where(Ticket.id.in_(chunk))).all()
        for ticket in tickets:
            change_status(session, ticket, Status.CLOSED, None)
        messages = select(Message.id).where(Message.ticket_id.in_(chunk))
        raws = session.scalars(select(RawMail).where(RawMail.message_id.in_(messages))).all()
        files = session.scalars(select(Attachment).where(Attachment.message_id.in_(messages))).all()
        for row in [*raws, *files]:
            session.delete(row)
        session.flush()
        forget_blobs(session, stores, [f.sha256 for f in files], [r.sha256 for r in raws])
