"""Parsing under a budget: a message over its time or memory budget is stopped, quarantined with
the reason and its raw bytes kept, and the messages around it are parsed as usual."""

import time
from dataclasses import replace

import pytest

from helpdesk.core.models import RawMail, RawMailState, Ticket
from mail_ingest.budget import BudgetedParser
from mail_ingest.parsing import parse_message
from mail_ingest.pipeline import Outcome, ingest, ingest_batch

from ..factories import make_mail
from .budget_targets import TARGET

BUDGET_SECONDS = 1.5
PATIENT_SECONDS = 8


@pytest.fixture(scope="module")
def parser():
    """One pool for the module: its children are reused, as in production."""
    pool = BudgetedParser(BUDGET_SECONDS, 300, TARGET)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def patient_parser():
    """Time enough to fill 300 MB on a busy machine: memory, not time, is what stops HOG."""
    pool = BudgetedParser(PATIENT_SECONDS, 300, TARGET)
    yield pool
    pool.close()


@pytest.fixture
def budgeted_context(ingest_context, parser):
    return replace(ingest_context, parser=parser)


@pytest.fixture
def patient_context(ingest_context, patient_parser):
    return replace(ingest_context, parser=patient_parser)


def test_normal_mail_parses_exactly_as_in_process(parser):
    mails = [make_mail(subject=f"Question {n}", body="Olá! " * n) for n in range(20)]
    outcomes = parser.parse_many(mails)
    assert [o.message for o in outcomes] == [parse_message(m) for m in mails]
    assert all(o.error is None and o.budget is None for o in outcomes)
    assert all(0 < o.peak_mb < 300 for o in outcomes)


def test_a_hanging_message_is_stopped_at_its_deadline_and_the_batch_goes_on(parser):
    mails = [make_mail(subject="Before"), make_mail(subject="HANG"), make_mail(subject="After")]
    started = time.monotonic()
    before, hung, after = parser.parse_many(mails)
    elapsed = time.monotonic() - started
    assert (before.message.subject, after.message.subject) == ("Before", "After")
    assert hung.message is None and hung.budget == "time"
    assert hung.error == "time budget exceeded: parsing took over 1.5 s"
    assert BUDGET_SECONDS <= elapsed < BUDGET_SECONDS + 10  # the child's restart included


def test_memory_over_the_budget_stops_that_message_only(patient_parser):
    hog, fine = patient_parser.parse_many([make_mail(subject="HOG"), make_mail(subject="Fine")])
    assert hog.budget == "memory" and hog.message is None
    assert hog.error == "memory budget exceeded: parsing needed over 300 MB"
    assert fine.message.subject == "Fine"


def test_a_crashing_parser_quarantines_the_message_not_its_neighbours(parser):
    outcomes = parser.parse_many([make_mail(subject=s) for s in ("One", "DIE", "Two")])
    assert [o.message.subject if o.message else o.error for o in outcomes] == [
        "One",
        "the parser process died (exit code 3)",
        "Two",
    ]


def test_a_message_over_its_time_budget_is_quarantined_with_the_reason(session, budgeted_context):
    data = make_mail(subject="HANG")
    result = ingest(session, budgeted_context, data, "test")
    assert result.outcome == Outcome.FAILED
    raw = session.get(RawMail, result.raw_mail_id)
    assert raw.state == RawMailState.FAILED
    assert raw.error == "time budget exceeded: parsing took over 1.5 s"
    assert budgeted_context.raw_store.get(raw.sha256) == data  # kept for an admin
    assert ingest(session, budgeted_context, make_mail(), "test").outcome == Outcome.CREATED


def test_a_message_over_its_memory_budget_is_quarantined_with_the_reason(session, patient_context):
    result = ingest(session, patient_context, make_mail(subject="HOG"), "test")
    raw = session.get(RawMail, result.raw_mail_id)
    assert (result.outcome, raw.state) == (Outcome.FAILED, RawMailState.FAILED)
    assert raw.error.startswith("memory budget exceeded")
    assert session.query(Ticket).count() == 0


def test_bulk_import_quarantines_only_the_messages_over_budget(session, patient_context):
    subjects = ["A", "HANG", "B", "HOG", "C"]
    items = [(make_mail(subject=s), f"file:{s}") for s in subjects]
    results = ingest_batch(session, patient_context, items)
    assert [r.outcome for r in results] == [
        Outcome.CREATED,
        Outcome.FAILED,
        Outcome.CREATED,
        Outcome.FAILED,
        Outcome.CREATED,
    ]
    assert sorted(t.subject for t in session.query(Ticket)) == ["A", "B", "C"]
    errors = {r.raw_mail_id: r.error for r in results if r.error}
    assert sorted(e.split(":")[0] for e in errors.values()) == [
        "memory budget exceeded",
        "time budget exceeded",
    ]
