"""Raw mail and attachments in the database store, end to end: mail arrives by SMTP, its bytes
go into the blobs table and nowhere on disk, and the ticket's attachment downloads intact."""

import smtplib
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from helpdesk.core.models import Attachment, Blob, RawMail, RawMailState, Role, Ticket
from helpdesk.workers.inbound import make_deliver
from mail_ingest.smtp_server import AcceptedRecipients, InboundHandler, make_controller

from ..conftest import _allowed_smtp_ports, free_port
from ..factories import make_mail

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40  # every byte value, as a real file has


@pytest.fixture
def smtp_port(app):
    app.config["BLOB_STORE"] = "database"
    port = free_port()
    _allowed_smtp_ports.add(port)
    handler = InboundHandler(make_deliver(app), AcceptedRecipients(["help@example.org"], []))
    controller = make_controller(handler, "127.0.0.1", port, max_bytes=1_000_000)
    controller.start()
    yield port
    controller.stop()


def _mail_with_pdf() -> bytes:
    mail = message_from_bytes(make_mail(subject="Formulaire"), policy=policy.default)
    mail.make_mixed()
    mail.add_attachment(PDF, "application", "pdf", filename="formulaire.pdf")
    return mail.as_bytes(policy=policy.SMTP)


def test_mail_by_smtp_is_stored_in_the_database_and_downloads_intact(
    app, smtp_port, session, client, login_as, make_user
):
    data = _mail_with_pdf()
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as sender:
        assert sender.sendmail("someone@example.com", ["help@example.org"], data) == {}

    raw = session.scalars(select(RawMail)).one()
    attachment = session.scalars(select(Attachment)).one()
    stored = {(b.store, b.sha256): b.data for b in session.scalars(select(Blob))}
    assert stored == {("raw", raw.sha256): data, ("attachments", attachment.sha256): PDF}
    for folder in ("RAW_MAIL_DIR", "ATTACHMENTS_DIR"):  # nothing on this machine's disk
        assert not any(p.is_file() for p in app.config[folder].rglob("*"))
    assert session.scalars(select(Ticket)).one().subject == "Formulaire"

    login_as(make_user(role=Role.ADMIN, languages=()))
    with client.get(f"/attachments/{attachment.id}") as download:
        assert download.status_code == 200
        assert download.data == PDF
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download.headers["Content-Type"] == "application/octet-stream"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.headers["ETag"] == f'"{attachment.sha256}"'
    cached = client.get(
        f"/attachments/{attachment.id}", headers={"If-None-Match": f'"{attachment.sha256}"'}
    )
    assert cached.status_code == 304


def test_quarantined_mail_downloads_from_the_database_and_is_deleted_after_commit(
    app, smtp_port, session, client, login_as, make_user, post_form
):
    broken = b"\x00\x01 this is not mail at all"
    with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as sender:
        sender.sendmail("someone@example.com", ["help@example.org"], broken)
    raw = session.scalars(select(RawMail)).one()
    assert raw.state == RawMailState.FAILED
    login_as(make_user(role=Role.ADMIN, languages=()))
    with client.get(f"/admin/quarantine/{raw.id}/raw") as download:
        assert download.data == broken + b"\r\n"  # as it arrived: SMTP ends the last line
        assert download.headers["Content-Disposition"].startswith("attachment;")
    post_form("/admin/quarantine", f"/admin/quarantine/{raw.id}", {"delete": "1"})
    session.expire_all()
    assert session.scalars(select(Blob)).all() == []


def test_a_blob_that_is_gone_is_a_404_not_an_error(
    app, session, deliver, client, login_as, make_user
):
    app.config["BLOB_STORE"] = "database"
    result = deliver(_mail_with_pdf())
    attachment = session.scalars(select(Attachment)).one()
    session.execute(Blob.__table__.delete().where(Blob.store == "attachments"))
    session.commit()
    login_as(make_user(role=Role.ADMIN, languages=()))
    assert result.ticket_id is not None
    assert client.get(f"/attachments/{attachment.id}").status_code == 404
