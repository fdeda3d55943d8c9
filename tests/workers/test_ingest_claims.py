"""How stored mail is claimed: a store-only listener leaves it to the ingest workers, a claim
holds it for its lease, and on PostgreSQL a claim not yet committed is skipped, not waited for."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from helpdesk.core.models import RawMail, utcnow
from helpdesk.core.services.raw_mail import claim_unprocessed_raw_mail
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.workers.inbound import InboundProcessing
from mail_ingest.pipeline import Outcome, process_pending, store_incoming

from ..factories import make_mail


def _store(session, context, n: int, lease=None) -> int:
    mail = make_mail(subject=f"Claim {n}", sender=f"c{n}@example.com")
    return store_incoming(session, context, mail, "smtp:test", lease).raw_mail_id


def test_a_store_only_listener_leaves_mail_to_the_ingest_workers(app, session, ingest_context):
    listener = InboundProcessing(app, context=ingest_context, store_only=True)
    stored = listener.deliver(make_mail(subject="Left for the workers"), "smtp:test")
    assert listener.threads(threading.Event()) == []  # nothing processes it in the listener
    assert session.get(RawMail, stored.raw_mail_id).claimed_until is None
    [result] = process_pending(session, ingest_context)  # the next ingest worker to look
    assert result.outcome == Outcome.CREATED


def test_a_claim_holds_mail_for_its_lease(session, ingest_context):
    _store(session, ingest_context, 1, lease=timedelta(minutes=2))  # its listener processes it
    unclaimed = _store(session, ingest_context, 2)
    with unit_of_work(session):
        assert claim_unprocessed_raw_mail(session) == [unclaimed]
    with unit_of_work(session):
        assert claim_unprocessed_raw_mail(session) == []  # both held now
    later = utcnow() + timedelta(minutes=3)  # the listener died: its claim ran out
    with unit_of_work(session):
        assert len(claim_unprocessed_raw_mail(session, expired_by=later)) == 2


def test_workers_claim_disjoint_mail(app, db, session, ingest_context):
    """PostgreSQL: a second worker skips the rows a first one is still claiming (its
    transaction open) and takes the others at once. SQLite has one writer: the second claims
    after the first commits, with the same outcome."""
    ids = [_store(session, ingest_context, n) for n in range(6)]
    first, second = Session(db.engine), Session(db.engine)
    try:
        mine = claim_unprocessed_raw_mail(first, limit=3)
        if db.engine.dialect.name == "sqlite":
            first.commit()
        else:  # without SKIP LOCKED this would wait for ``first``: fail instead of hanging
            second.execute(text("SET LOCAL lock_timeout = '5s'"))
        theirs = claim_unprocessed_raw_mail(second, limit=10)  # would block without SKIP LOCKED
        second.commit()
        first.commit()
    finally:
        first.close()
        second.close()
    assert mine == ids[:3]
    assert theirs == ids[3:]
