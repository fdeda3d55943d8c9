"""Two ingest and two outbox workers share the work while mail arrives and replies leave; one
of each killed mid-stream: every mail recorded once, every reply sent (at most the one in
flight at the kill twice: SMTP cannot say whether it arrived)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter

from sqlalchemy import func, select

from helpdesk.core.models import (
    Direction,
    Message,
    OutboxMail,
    OutboxState,
    RawMail,
    RawMailState,
    Role,
    Ticket,
)
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.replies import ReplyInput, reply
from helpdesk.core.unit_of_work import unit_of_work
from mail_ingest.pipeline import store_incoming

from ..conftest import wait_for
from ..factories import make_mail

COUNT = 40
SETTINGS = MailSettings("help@example.org", "example.org")


def _worker(app, sink, role: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(app.config["DATA_DIR"]),
        "HELPDESK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HELPDESK_SECRET_KEY": "x" * 32,
        "HELPDESK_SMTP_HOST": sink.host,
        "HELPDESK_SMTP_PORT": str(sink.port),
        "HELPDESK_OUTBOX_POLL_SECONDS": "0.1",
        "HELPDESK_OUTBOX_LEASE_SECONDS": "15",  # longer than any send here, even on busy SQLite
        "HELPDESK_INGEST_POLL_SECONDS": "0.1",
        "HELPDESK_INGEST_LEASE_SECONDS": "3",  # a claim outliving it is merely parsed twice
    }
    extra = ["--no-digests"] if role == "outbox" else []
    command = [sys.executable, "-m", "helpdesk.cli", "worker", role, *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _count(session, query) -> int:
    session.expire_all()
    session.rollback()
    return session.scalar(query)


class Replier:
    """The liaison answering each new ticket as it appears, which queues outbox mail."""

    def __init__(self, session, liaison) -> None:
        self.session, self.liaison, self.answered = session, liaison, set()

    def answer_new(self) -> None:  # None: usable in a ``wait_for`` condition
        self.session.rollback()
        for ticket in self.session.scalars(select(Ticket).where(Ticket.id.not_in(self.answered))):
            with unit_of_work(self.session):
                reply(self.session, ticket, self.liaison, ReplyInput("Answer"), SETTINGS)
            self.answered.add(ticket.id)


def test_two_workers_of_each_kind_one_of_each_killed_mid_stream(
    app, session, ingest_context, make_user, smtp_sink
):
    replier = Replier(session, make_user(Role.COORDINATOR, languages=("fr",)))
    processed = select(func.count()).where(RawMail.state == RawMailState.PROCESSED)
    sent = select(func.count()).where(OutboxMail.state == OutboxState.SENT)
    ingest = [_worker(app, smtp_sink, "ingest") for _ in range(2)]
    outbox = [_worker(app, smtp_sink, "outbox") for _ in range(2)]
    try:
        for n in range(COUNT):  # stored unclaimed, as `smtp-server --store-only` leaves it
            mail = make_mail(subject=f"Stream {n}", sender=f"p{n}@example.com", body=f"Hi {n}.")
            store_incoming(session, ingest_context, mail, "smtp:test", lease=None)
            replier.answer_new()
            if n == COUNT // 2:  # both kinds busy: kill one of each without warning
                wait_for(lambda: _count(session, processed) >= 5, timeout=60)
                wait_for(lambda: replier.answer_new() or len(smtp_sink.handler.messages) >= 3)
                for victim in (ingest[0], outbox[0]):
                    victim.send_signal(signal.SIGKILL)
                    victim.communicate(timeout=30)

        def all_answered() -> bool:
            replier.answer_new()
            return len(replier.answered) == COUNT and _count(session, processed) == COUNT

        wait_for(all_answered, timeout=120)
        wait_for(lambda: _count(session, sent) == COUNT, timeout=120)
    finally:
        logs = []
        for survivor in (*ingest, *outbox):
            if survivor.poll() is None:
                survivor.send_signal(signal.SIGTERM)
                logs.append((survivor, survivor.communicate(timeout=60)[1]))
    for survivor, log in logs:
        assert survivor.returncode == 0, log.decode()[-2000:]
    inbound = select(func.count()).where(Message.direction == Direction.IN)
    assert _count(session, select(func.count()).select_from(Ticket)) == COUNT
    assert _count(session, inbound) == COUNT
    linked = select(func.count(func.distinct(RawMail.message_id)))
    assert _count(session, linked) == COUNT  # each mail recorded as its own message
    subjects = session.scalars(select(Ticket.subject)).all()
    assert sorted(subjects) == sorted(f"Stream {n}" for n in range(COUNT))
    expected = set(session.scalars(select(Message.message_id).where(Message.direction == "out")))
    received = Counter(m["Message-ID"] for m in smtp_sink.handler.messages)
    assert set(received) == expected and len(expected) == COUNT
    assert sum(received.values()) - COUNT <= 1  # at most the one in flight, sent again
