"""Answering never waits for processing: 250 once a mail is stored, while another message is
slow, hangs, or a whole backlog is being recovered at start-up."""

import smtplib
import threading
import time
from dataclasses import replace

import pytest

from helpdesk.core.models import RawMail, RawMailState, Ticket
from helpdesk.core.services.raw_mail import store_raw_mail
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.workers import inbound
from helpdesk.workers.inbound import InboundProcessing, make_listener
from helpdesk.workers.serve import start_background
from mail_ingest.budget import BudgetedParser
from mail_ingest.parsing import dedup_key

from ..conftest import _allowed_smtp_ports, free_port, wait_for
from ..factories import make_mail
from .budget_targets import TARGET


def _send_timed(port, data):
    """Send one mail; how long the 250 took."""
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        assert client.sendmail("someone@example.com", ["help@example.org"], data) == {}
    return time.monotonic() - started


@pytest.fixture
def running(app, ingest_context):
    """Start a listener and its processing threads with a parser of the given budget."""
    started = []

    def start(seconds):
        parser = BudgetedParser(seconds, 300, TARGET)
        parser.warm_up(2)  # one parser process per processing thread, as they start with
        processing = InboundProcessing(app, context=replace(ingest_context, parser=parser))
        port, stop = free_port(), threading.Event()
        _allowed_smtp_ports.add(port)
        controller = make_listener(app, processing, "127.0.0.1", port)
        threads = processing.threads(stop)
        controller.start()
        for thread in threads:
            thread.start()
        started.append((controller, stop, threads, parser))
        return port

    yield start
    for controller, stop, threads, parser in started:
        controller.stop()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        parser.close()


def _subjects(session):
    session.expire_all()
    return sorted(t.subject for t in session.query(Ticket))


def test_a_hanging_message_is_quarantined_and_other_mail_flows_meanwhile(running, session):
    port = running(seconds=6)
    # Mail waiting for the hung parse would take 6 s; the bound leaves room for a busy machine.
    assert _send_timed(port, make_mail(subject="HANG")) < 3
    delays = [_send_timed(port, make_mail(subject=f"Ordinary {n}")) for n in range(5)]
    assert max(delays) < 3
    wait_for(lambda: _subjects(session) == [f"Ordinary {n}" for n in range(5)])
    wait_for(lambda: session.query(RawMail).filter_by(state=RawMailState.FAILED).count() == 1)
    hung = session.query(RawMail).filter_by(state=RawMailState.FAILED).one()
    assert hung.error == "time budget exceeded: parsing took over 6 s"


def test_250_is_prompt_while_a_slow_message_is_being_processed(running, session):
    """The slow message is parsed with no transaction open: storing others never waits for the
    database's write lock (on SQLite it would otherwise answer 451 "database is locked")."""
    port = running(seconds=30)  # SLOW takes 3 s
    assert _send_timed(port, make_mail(subject="SLOW")) < 1
    slow_sent = time.monotonic()
    delays = [_send_timed(port, make_mail(subject=f"Quick {n}")) for n in range(3)]
    assert max(delays) < 2  # far below the slow message's 3 s, with room for a busy machine
    wait_for(lambda: _subjects(session) == ["Quick 0", "Quick 1", "Quick 2"])
    assert time.monotonic() - slow_sent < 3, "the quick mail waited for the slow one"
    wait_for(lambda: "SLOW" in _subjects(session))


def test_start_up_answers_at_once_while_pending_mail_is_recovered(
    app, session, ingest_context, monkeypatch
):
    left_over = make_mail(subject="Left over from the last run")
    with unit_of_work(session):  # stored, then the process died before processing it
        store_raw_mail(session, ingest_context.raw_store, left_over, dedup_key(left_over), "smtp")
    recovery_may_finish = threading.Event()
    real_process_pending = inbound.process_pending

    def slow_recovery(*args, **kwargs):
        recovery_may_finish.wait(30)
        return real_process_pending(*args, **kwargs)

    monkeypatch.setattr(inbound, "process_pending", slow_recovery)
    port, stop = free_port(), threading.Event()
    _allowed_smtp_ports.add(port)
    smtp, threads = start_background(app, stop, "127.0.0.1", port)
    try:
        assert _send_timed(port, make_mail(subject="Arrives at start-up")) < 1
        wait_for(lambda: _subjects(session) == ["Arrives at start-up"])
        recovery_may_finish.set()
        wait_for(lambda: len(_subjects(session)) == 2)
        assert "Left over from the last run" in _subjects(session)
    finally:
        recovery_may_finish.set()
        stop.set()
        smtp.stop()
        for thread in threads:
            thread.join(timeout=30)


def test_small_mail_goes_first_and_one_thread_keeps_to_it():
    from helpdesk.workers.inbound import Lanes

    lanes = Lanes()
    lanes.put(1, 30 << 20)  # a large message, perhaps a hostile one
    lanes.put(2, 4_000)
    assert lanes.get(small_only=True, timeout=0) == 2
    assert lanes.get(small_only=True, timeout=0) is None  # the large one waits for the others
    assert lanes.get(small_only=False, timeout=0) == 1
