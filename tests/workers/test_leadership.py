"""One IMAP poller per mailbox: a second worker waits, and takes over when the first is gone."""

from __future__ import annotations

import subprocess
import sys

from helpdesk.extensions import db
from helpdesk.workers.leadership import MailboxLease, lock_id


def test_lock_ids_are_stable_and_distinct():
    assert lock_id("help@imap.example:993/INBOX") == lock_id("help@imap.example:993/INBOX")
    assert lock_id("a@x:993/INBOX") != lock_id("b@x:993/INBOX")
    assert -(2**63) <= lock_id("anything") < 2**63


def test_only_one_lease_per_mailbox_until_it_is_released(app, tmp_path):
    first = MailboxLease(db.engine, tmp_path, "help@imap.example:993/INBOX")
    second = MailboxLease(db.engine, tmp_path, "help@imap.example:993/INBOX")
    other = MailboxLease(db.engine, tmp_path, "fr@imap.example:993/INBOX")
    try:
        assert first.acquire()
        assert not second.acquire()
        assert other.acquire()  # another mailbox is another lease
        first.release()
        assert second.acquire()
    finally:
        for lease in (first, second, other):
            lease.release()


def test_a_dead_holder_loses_its_lease(app, tmp_path):
    """The kernel (SQLite) or the server (PostgreSQL) frees the lease of a process that died."""
    url = db.engine.url.render_as_string(hide_password=False)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sqlalchemy import create_engine;"
            "from helpdesk.workers.leadership import MailboxLease;"
            f"lease = MailboxLease(create_engine({url!r}), Path({str(tmp_path)!r}), 'k');"
            "print(lease.acquire(), flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    waiting = MailboxLease(db.engine, tmp_path, "k")
    try:
        assert holder.stdout.readline().strip() == "True"
        assert not waiting.acquire()
        holder.kill()
        holder.communicate(timeout=30)
        from ..conftest import wait_for

        wait_for(waiting.acquire, timeout=10)
    finally:
        holder.kill()
        waiting.release()
