"""Admins see quarantined mail, download it raw, retry it or delete it; nobody else can."""

from helpdesk.core.models import RawMail, RawMailState, Role

from ..conftest import csrf_token as csrf

BROKEN = b"not mail, not a single header\r\n\r\nwho am I?"


def _quarantined(deliver, session):
    return session.get(RawMail, deliver(BROKEN).raw_mail_id)


def test_admin_sees_the_reason_and_downloads_the_raw_bytes(
    client, login_as, make_user, deliver, session
):
    raw = _quarantined(deliver, session)
    login_as(make_user(Role.ADMIN, languages=()))
    page = client.get("/admin/quarantine").get_data(as_text=True)
    assert "not a mail message" in page
    with client.get(f"/admin/quarantine/{raw.id}/raw") as response:
        assert response.data == BROKEN
        assert response.headers["Content-Disposition"].startswith("attachment")


def test_retry_queues_the_mail_for_the_ingest_worker(
    client, login_as, make_user, deliver, session, post_form, ingest_context
):
    raw = _quarantined(deliver, session)
    login_as(make_user(Role.ADMIN, languages=()))
    post_form("/admin/quarantine", f"/admin/quarantine/{raw.id}", {"retry": "1"})
    session.expire_all()
    assert session.get(RawMail, raw.id).state == RawMailState.RETRY
    from mail_ingest.pipeline import Outcome, process_pending

    [result] = process_pending(session, ingest_context)  # what the worker does next
    assert result.outcome == Outcome.FAILED  # still not mail: back in quarantine, not lost


def test_delete_removes_row_and_bytes(
    client, login_as, make_user, deliver, session, post_form, ingest_context
):
    raw = _quarantined(deliver, session)
    digest = raw.sha256
    login_as(make_user(Role.ADMIN, languages=()))
    post_form("/admin/quarantine", f"/admin/quarantine/{raw.id}", {"delete": "1"})
    session.expire_all()
    assert session.get(RawMail, raw.id) is None
    assert not ingest_context.raw_store.exists(digest)


def test_quarantine_is_for_admins_only(client, login_as, make_user, deliver, session):
    raw = _quarantined(deliver, session)
    login_as(make_user(Role.COORDINATOR, languages=()))
    assert client.get("/admin/quarantine").status_code == 403
    assert client.get(f"/admin/quarantine/{raw.id}/raw").status_code == 403


def test_a_failing_commit_deletes_nothing_and_says_no_success(
    app, client, login_as, make_user, session, post_form, ingest_context, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from helpdesk.core.services.raw_mail import mark_failed, store_raw_mail
    from helpdesk.core.unit_of_work import unit_of_work

    with unit_of_work(session):
        raw = store_raw_mail(session, ingest_context.raw_store, BROKEN, "<b@x>", "t").raw_mail
        mark_failed(raw, "unreadable")
    digest = raw.sha256
    login_as(make_user(Role.ADMIN, languages=()))
    page = client.get("/admin/quarantine").get_data(as_text=True)

    def failing_commit():
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(session, "commit", failing_commit)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production: a 500
    response = client.post(
        f"/admin/quarantine/{raw.id}", data={"delete": "1", "csrf_token": csrf(page)}
    )
    assert response.status_code == 500
    monkeypatch.undo()
    assert ingest_context.raw_store.get(digest) == BROKEN
    session.expire_all()
    assert session.get(RawMail, raw.id) is not None
    page = client.get("/admin/quarantine").get_data(as_text=True)
    assert "Message deleted." not in page
