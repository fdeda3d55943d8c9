"""The IMAP poller against a real Dovecot: each message becomes exactly one ticket, whatever
happens: a crash mid-batch, a killed worker, a recreated folder, a broken second mailbox."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from helpdesk.core.models import RawMail, Ticket
from helpdesk.workers.imap import DatabaseCheckpoints
from helpdesk.workers.inbound import InboundProcessing, make_deliver
from mail_ingest.imap import ImapMailbox, connect, poll_forever, sync_folder

from ..conftest import wait_for
from ..factories import make_mail


def _box(server, **overrides):
    return ImapMailbox(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        security="none",
        **overrides,
    )


def _sync(app, box):
    with connect(box) as client:
        return sync_folder(client, box, make_deliver(app), DatabaseCheckpoints(app))


def test_each_message_becomes_one_ticket_and_is_flagged_after(app, session, imap_server):
    for n in range(3):
        imap_server.append(make_mail(subject=f"Question {n}"))
    assert _sync(app, _box(imap_server)) == 3
    assert _sync(app, _box(imap_server)) == 0  # the checkpoint moved on
    assert sorted(t.subject for t in session.query(Ticket)) == [
        "Question 0",
        "Question 1",
        "Question 2",
    ]
    assert all("\\Seen" in flags for flags in imap_server.flags().values())


def test_crash_after_storing_loses_and_doubles_nothing(app, session, imap_server):
    for n in range(5):
        imap_server.append(make_mail(subject=f"Batch {n}"))
    deliver = make_deliver(app)
    stored = []

    def crash_on_third(data, source):
        result = deliver(data, source)  # stored and committed...
        stored.append(result)
        if len(stored) == 3:
            raise ConnectionResetError("killed right after storing")  # ...then the lights go out
        return result

    box = _box(imap_server)
    with pytest.raises(ConnectionResetError), connect(box) as client:
        sync_folder(client, box, crash_on_third, DatabaseCheckpoints(app))
    unseen = [uid for uid, flags in imap_server.flags().items() if "\\Seen" not in flags]
    assert len(unseen) == 3  # the third was stored but never flagged
    _sync(app, box)
    assert session.query(Ticket).count() == 5
    assert session.query(RawMail).count() == 5
    assert all("\\Seen" in flags for flags in imap_server.flags().values())


def test_killed_worker_process_restarts_without_loss_or_duplicates(app, session, imap_server):
    count = 40
    for n in range(count):
        imap_server.append(make_mail(subject=f"Killed batch {n}", body="x" * 2000))
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(app.config["DATA_DIR"]),
        "HELPDESK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HELPDESK_SECRET_KEY": "x" * 32,
        "HELPDESK_IMAP_POLL_SECONDS": "1",
        "HELPDESK_IMAP_STANDBY_SECONDS": "0.5",  # the dead poller's lease is freed at once
        # Mail the killed worker stored but had not processed stays claimed by it until its
        # claim runs out (2 minutes by default); then the next worker takes it.
        "HELPDESK_INGEST_LEASE_SECONDS": "5",
        "HELPDESK_IMAP_MAILBOXES": (
            f'[{{"host": "{imap_server.host}", "port": {imap_server.port}, '
            f'"user": "{imap_server.user}", "password": "{imap_server.password}", '
            '"security": "none"}]'
        ),
    }
    worker = [sys.executable, "-m", "helpdesk.cli", "worker", "imap"]

    def stored():
        session.expire_all()
        return session.query(RawMail).count()

    first = subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: stored() >= 5)
    finally:
        first.send_signal(signal.SIGKILL)  # no clean-up, no goodbye
        first.communicate(timeout=30)
    assert stored() < count, "the worker finished before it could be killed mid-batch"
    second = subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: stored() == count and session.query(Ticket).count() == count, timeout=90)
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=30)
    assert sorted(t.subject for t in session.query(Ticket)) == sorted(
        f"Killed batch {n}" for n in range(count)
    )


def test_a_second_imap_worker_stands_by_and_takes_over_when_the_first_dies(
    app, session, imap_server
):
    """One poller per mailbox: the second process waits on the mailbox's lease (an advisory
    lock on PostgreSQL, a file lock on SQLite) and polls only once the first is gone."""
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(app.config["DATA_DIR"]),
        "HELPDESK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "HELPDESK_SECRET_KEY": "x" * 32,
        "HELPDESK_IMAP_POLL_SECONDS": "0.5",
        "HELPDESK_IMAP_STANDBY_SECONDS": "0.5",
        "HELPDESK_IMAP_MAILBOXES": (
            f'[{{"host": "{imap_server.host}", "port": {imap_server.port}, '
            f'"user": "{imap_server.user}", "password": "{imap_server.password}", '
            '"security": "none"}]'
        ),
    }
    worker = [sys.executable, "-m", "helpdesk.cli", "worker", "imap"]

    def subjects() -> list[str]:
        session.expire_all()
        return sorted(t.subject for t in session.query(Ticket))

    imap_server.append(make_mail(subject="Before the crash"))
    active = subprocess.Popen(worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    standby = None
    try:
        wait_for(lambda: subjects() == ["Before the crash"])
        standby = subprocess.Popen(
            worker, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        standby_lines: list[bytes] = []
        reader = threading.Thread(target=lambda: standby_lines.extend(standby.stderr), daemon=True)
        reader.start()
        wait_for(lambda: any(b"standing by" in line for line in standby_lines), timeout=60)
        time.sleep(1)  # it keeps trying meanwhile, and must not get the mailbox
        assert not any(b"polling" in line for line in standby_lines)
        active.send_signal(signal.SIGKILL)
        _, active_log = active.communicate(timeout=30)
        assert b"polling" in active_log
        imap_server.append(make_mail(subject="After the crash"))
        wait_for(lambda: subjects() == ["After the crash", "Before the crash"])
    finally:
        active.kill()
        if standby is not None:
            standby.send_signal(signal.SIGTERM)
            standby.wait(timeout=30)
            reader.join(timeout=10)
            standby.stderr.close()
    assert standby.returncode == 0
    log = b"".join(standby_lines).decode()
    assert "standing by" in log and log.index("standing by") < log.index("polling")
    assert session.query(RawMail).count() == 2


def test_recreated_folder_is_read_again_without_duplicates(app, session, imap_server):
    imap_server.append(make_mail(subject="Before", message_id="<before@example.com>"))
    box = _box(imap_server)
    _sync(app, box)
    DatabaseCheckpoints(app).save(box.key, 1, 99)  # as if the folder had another UIDVALIDITY
    imap_server.append(make_mail(subject="After"))
    assert _sync(app, box) == 2  # everything read again...
    assert sorted(t.subject for t in session.query(Ticket)) == ["After", "Before"]  # ...once


def test_move_after_store(app, session, imap_server):
    imap_server.create_folder("Processed")
    imap_server.append(make_mail(subject="Move me"))
    _sync(app, _box(imap_server, after_store="move", move_to="Processed"))
    assert imap_server.uids("INBOX") == []
    assert len(imap_server.uids("Processed")) == 1
    assert session.query(Ticket).one().subject == "Move me"


def test_delete_after_store(app, session, imap_server):
    imap_server.append(make_mail(subject="Delete me"))
    _sync(app, _box(imap_server, after_store="delete"))
    assert imap_server.uids("INBOX") == []
    assert session.query(Ticket).one().subject == "Delete me"


def test_idle_picks_up_new_mail_at_once_and_a_broken_mailbox_blocks_nothing(
    app, session, imap_server
):
    stop = threading.Event()
    good = _box(imap_server)
    broken = ImapMailbox(
        host=imap_server.host,
        port=imap_server.port,
        user=imap_server.user,
        password="wrong password",
        security="none",
    )
    threads = [
        threading.Thread(
            target=poll_forever, args=(box, make_deliver(app), DatabaseCheckpoints(app), stop, 60.0)
        )
        for box in (broken, good)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)  # both connected (or failed) and idling / backing off
        imap_server.append(make_mail(subject="Arrives while idling"))
        started = time.monotonic()
        wait_for(lambda: session.query(Ticket).count() == 1, timeout=10)
        assert time.monotonic() - started < 5, "IDLE should wake the poller, not a 60 s poll"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    assert not any(thread.is_alive() for thread in threads)


def test_configured_address_and_language_route_the_mailbox_s_mail(app, session, imap_server):
    from helpdesk.core.models import Mailbox
    from helpdesk.workers.imap import imap_threads

    app.config["IMAP_MAILBOXES"] = [
        {
            "host": imap_server.host,
            "port": imap_server.port,
            "user": imap_server.user,
            "password": imap_server.password,
            "security": "none",
            "address": "Ajuda@Example.org",
            "language": "pt",
        }
    ]
    imap_server.append(make_mail(subject="ok", body="ok 123", to="ajuda@example.org"))
    stop = threading.Event()
    processing = InboundProcessing(app)  # as in `helpdesk serve`: stored, then processed
    threads = [*imap_threads(app, stop, processing.deliver), *processing.threads(stop)]
    mailbox = session.query(Mailbox).filter_by(address="ajuda@example.org").one()
    assert mailbox.default_language_code == "pt"
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: session.query(Ticket).count() == 1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    ticket = session.query(Ticket).one()
    assert (ticket.language_code, ticket.routing_rule) == ("pt", "mailbox_default")


def test_an_unknown_mailbox_language_stops_the_pollers_at_once(app, imap_server):
    from helpdesk.workers.imap import imap_threads

    app.config["IMAP_MAILBOXES"] = [
        {"host": imap_server.host, "user": "x@example.org", "password": "x", "language": "tlh"}
    ]
    from helpdesk.core.errors import MailboxLanguageUnknown

    with pytest.raises(MailboxLanguageUnknown, match="tlh"):
        imap_threads(app, threading.Event(), make_deliver(app))
