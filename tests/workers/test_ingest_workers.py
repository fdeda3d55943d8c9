"""Two ingest workers take the same backlog of stored mail; one killed mid-stream leaves every
mail recorded exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from sqlalchemy import func, select

from helpdesk.core.models import Message, RawMail, RawMailState, Ticket
from mail_ingest.pipeline import store_incoming

from ..conftest import wait_for
from ..factories import make_mail

COUNT = 60


def _worker(app) -> subprocess.Popen:
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(app.config["DATA_DIR"]),
        "HELPDESK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HELPDESK_SECRET_KEY": "x" * 32,
    }
    command = [sys.executable, "-m", "helpdesk.cli", "worker", "ingest"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _count(session, query) -> int:
    session.expire_all()
    session.rollback()
    return session.scalar(query)


def test_two_ingest_workers_one_killed_mid_stream(app, session, ingest_context):
    for n in range(COUNT):  # stored and committed, as SMTP leaves them, not yet processed
        mail = make_mail(subject=f"Backlog {n}", sender=f"p{n}@example.com", body=f"Hello {n}.")
        store_incoming(session, ingest_context, mail, "smtp:test")
    processed = select(func.count()).where(RawMail.state == RawMailState.PROCESSED)
    first, second = _worker(app), _worker(app)
    try:
        wait_for(lambda: _count(session, processed) >= 5, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        wait_for(lambda: _count(session, processed) == COUNT, timeout=120)
    finally:
        first.kill()
        second.send_signal(signal.SIGTERM)
        _, log = second.communicate(timeout=60)
    assert second.returncode == 0, log.decode()[-2000:]
    assert _count(session, select(func.count()).select_from(Ticket)) == COUNT
    assert _count(session, select(func.count()).select_from(Message)) == COUNT
    subjects = session.scalars(select(Ticket.subject)).all()
    assert sorted(subjects) == sorted(f"Backlog {n}" for n in range(COUNT))
