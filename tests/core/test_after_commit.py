"""Nothing irreversible before the commit: quarantined mail's bytes go (from either blob store)
only once the deletion is committed, and an action registered in a transaction that fails never
runs."""

import pytest
from sqlalchemy.exc import OperationalError

from helpdesk.core.after_commit import after_commit
from helpdesk.core.errors import NotQuarantined
from helpdesk.core.models import RawMail
from helpdesk.core.services.raw_mail import delete_raw_mail, mark_failed, store_raw_mail
from helpdesk.core.unit_of_work import unit_of_work

DATA = b"Subject: unreadable\r\n\r\nwho am I?"


@pytest.fixture
def quarantined(blob_backend, session, ingest_context):
    with unit_of_work(session):
        raw = store_raw_mail(session, ingest_context.raw_store, DATA, "<q@x>", "test").raw_mail
        mark_failed(raw, "cannot be read")
    return raw


def test_the_bytes_go_only_after_the_commit(session, ingest_context, quarantined):
    store, digest = ingest_context.raw_store, quarantined.sha256
    with unit_of_work(session):
        delete_raw_mail(session, store, quarantined)
        assert store.exists(digest)  # deleted in the transaction, not yet from the store
    assert not store.exists(digest)
    assert session.query(RawMail).count() == 0


def test_a_failing_transaction_keeps_row_and_bytes(session, ingest_context, quarantined):
    store, digest = ingest_context.raw_store, quarantined.sha256
    with pytest.raises(OperationalError), unit_of_work(session):
        delete_raw_mail(session, store, quarantined)
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
    assert store.exists(digest)
    assert session.query(RawMail).count() == 1
    with unit_of_work(session):  # a later commit does not run the forgotten deletion
        session.get(RawMail, quarantined.id).error = "still here"
    assert store.get(digest) == DATA


def test_a_failing_commit_keeps_row_and_bytes(session, ingest_context, quarantined, monkeypatch):
    store, digest = ingest_context.raw_store, quarantined.sha256

    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(session, "commit", failing_commit)
    with pytest.raises(OperationalError), unit_of_work(session):
        delete_raw_mail(session, store, quarantined)
    monkeypatch.undo()
    assert store.exists(digest)
    assert session.query(RawMail).count() == 1


def test_only_quarantined_mail_can_be_deleted(session, ingest_context, quarantined):
    quarantined.state = "processed"
    with pytest.raises(NotQuarantined), unit_of_work(session):
        delete_raw_mail(session, ingest_context.raw_store, quarantined)


def test_savepoints_neither_run_nor_keep_their_actions(session):
    ran = []
    session.get(RawMail, 1)  # begin the outer transaction
    with session.begin_nested():
        after_commit(session, lambda: ran.append("released savepoint"))
    assert ran == []  # a savepoint released is not the commit
    try:
        with session.begin_nested():
            after_commit(session, lambda: ran.append("rolled back savepoint"))
            raise RuntimeError
    except RuntimeError:
        pass
    session.commit()
    assert ran == ["released savepoint"]
