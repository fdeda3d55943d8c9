"""Two outbox workers share the queue; one killed mid-stream loses and repeats nothing but,
at most, the one mail it was sending when it died."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter

from sqlalchemy import func, select

from helpdesk.core.models import OutboxMail, OutboxState, Role, Ticket
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.replies import ReplyInput, reply
from helpdesk.core.unit_of_work import unit_of_work

from ..conftest import wait_for
from ..factories import make_mail

COUNT = 40


def _queue_replies(session, deliver, make_user) -> set[str]:
    liaison = make_user(Role.COORDINATOR, languages=("fr",))
    settings = MailSettings("help@example.org", "example.org")
    ids = set()
    for n in range(COUNT):
        result = deliver(make_mail(subject=f"Question {n}", sender=f"person{n}@example.com"))
        with unit_of_work(session):
            ticket = session.get(Ticket, result.ticket_id)
            sent = reply(session, ticket, liaison, ReplyInput(f"Answer {n}"), settings)
        ids.add(sent.message_id)
    return ids


def _worker(app, sink) -> subprocess.Popen:
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(app.config["DATA_DIR"]),
        "HELPDESK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HELPDESK_SECRET_KEY": "x" * 32,
        "HELPDESK_SMTP_HOST": sink.host,
        "HELPDESK_SMTP_PORT": str(sink.port),
        "HELPDESK_OUTBOX_POLL_SECONDS": "0.1",
        "HELPDESK_OUTBOX_LEASE_SECONDS": "10",  # longer than any send here, even on a busy machine
    }
    command = [sys.executable, "-m", "helpdesk.cli", "worker", "outbox", "--no-digests"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_two_outbox_workers_one_killed_mid_stream(app, session, deliver, make_user, smtp_sink):
    expected = _queue_replies(session, deliver, make_user)
    first, second = _worker(app, smtp_sink), _worker(app, smtp_sink)
    try:
        wait_for(lambda: len(smtp_sink.handler.messages) >= 5)
        first.send_signal(signal.SIGKILL)  # no clean-up, its claim simply expires
        first.communicate(timeout=30)

        def all_sent() -> bool:
            session.expire_all()
            query = select(func.count()).where(OutboxMail.state == OutboxState.SENT)
            return session.scalar(query) == COUNT

        wait_for(all_sent, timeout=120)
    finally:
        first.kill()
        second.send_signal(signal.SIGTERM)
        _, log = second.communicate(timeout=30)
    assert second.returncode == 0, log.decode()[-2000:]
    received = Counter(m["Message-ID"] for m in smtp_sink.handler.messages)
    assert set(received) == expected  # every reply went out
    assert sum(received.values()) - COUNT <= 1  # at most the one in flight, sent again
