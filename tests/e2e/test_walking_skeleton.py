"""The whole path: demo data, a French liaison answers with the French template, the reply leaves
through SMTP with threading headers, and the requester's answer threads back into the ticket."""

import json
import re
import smtplib
import threading
from email.utils import make_msgid

import pytest
from sqlalchemy import func, select

from helpdesk.core.models import Direction, OutboxMail, OutboxState, Status, Ticket
from helpdesk.extensions import db
from helpdesk.workers.inbound import InboundProcessing, make_listener
from helpdesk.workers.outbox import run_outbox_worker

from ..conftest import _allowed_smtp_ports, csrf_token, free_port, wait_for
from ..factories import make_mail

FRENCH_LIAISON = "camille@example.org"


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    accounts = json.loads((app.config["DATA_DIR"] / "demo-accounts.json").read_text())
    return {email: password for email, password, _ in accounts}


def _login(client, email, password):
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302


def _answer_oldest_french_ticket(client):
    queue = client.get("/queue/mine").get_data(as_text=True)
    ticket_id = int(re.search(r'href="/tickets/(\d+)"', queue).group(1))  # oldest first
    url = f"/tickets/{ticket_id}"
    page = client.get(url).get_data(as_text=True)
    french = re.search(r'<option value="(\d+)"[^>]*>\s*fr · ([^<]+?)\s*</option>', page)
    assert french, "no French template offered"
    inserted = client.post(
        f"{url}/reply",
        data={
            "csrf_token": csrf_token(page),
            "template": french.group(1),
            "body": "",
            "insert": "1",
        },
    ).get_data(as_text=True)
    body = re.search(r'<textarea[^>]*name="body"[^>]*>\s*(.*?)</textarea>', inserted, re.S).group(1)
    body = body.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    sent = client.post(
        f"{url}/reply",
        data={
            "csrf_token": csrf_token(inserted),
            "template": french.group(1),
            "body": body,
            "send": "1",
        },
    )
    assert sent.status_code == 302
    return ticket_id, body


def _send_outbox_through(app, sink):
    app.config.update(SMTP_HOST=sink.host, SMTP_PORT=sink.port, SMTP_SECURITY="none")
    stop = threading.Event()
    worker = threading.Thread(target=run_outbox_worker, args=(app, stop))
    worker.start()
    try:
        wait_for(lambda: _queued_mail(app) == 0)
    finally:
        stop.set()
        worker.join(timeout=10)


def _queued_mail(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(OutboxMail.id)).where(OutboxMail.state != OutboxState.SENT)
        )


def _answers(sink):
    """Mail a person wrote, not the automatic acknowledgements."""
    return [mail for mail in sink.handler.messages if mail["Auto-Submitted"] is None]


def test_french_liaison_answers_with_the_french_template(app, client, demo, smtp_sink, session):
    _login(client, FRENCH_LIAISON, demo[FRENCH_LIAISON])
    ticket_id, body = _answer_oldest_french_ticket(client)
    _send_outbox_through(app, smtp_sink)

    [mail] = _answers(smtp_sink)
    ticket = session.get(Ticket, ticket_id)
    question = next(m for m in ticket.messages if m.direction == Direction.IN)
    reply = next(m for m in ticket.messages if m.direction == Direction.OUT and not m.automatic)
    assert ticket.language_code == "fr"
    assert ticket.status == Status.PENDING
    assert mail["To"].addresses[0].addr_spec == ticket.requester.email
    assert f"[#{ticket_id}]" in mail["Subject"]
    assert mail["Message-ID"] == reply.message_id
    assert mail["In-Reply-To"] == question.message_id
    assert question.message_id in mail["References"]
    assert mail["Content-Language"] == "fr"
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert ticket.requester.name in text and "Camille Durand" in text
    assert f"#{ticket_id}" in text
    assert text.strip() == body.replace("\r\n", "\n").strip()

    [acknowledgement] = [
        m
        for m in smtp_sink.handler.messages
        if m["Auto-Submitted"] == "auto-replied"
        and m["To"].addresses[0].addr_spec == ticket.requester.email
    ]
    assert acknowledgement["Content-Language"] == "fr"
    assert acknowledgement["In-Reply-To"] == question.message_id
    assert f"#{ticket_id}" in acknowledgement.get_body(("plain",)).get_content()
    assert "Merci pour votre message" in acknowledgement.get_body(("plain",)).get_content()


def test_requester_reply_by_smtp_threads_into_the_ticket(app, client, demo, smtp_sink, session):
    _login(client, FRENCH_LIAISON, demo[FRENCH_LIAISON])
    ticket_id, _ = _answer_oldest_french_ticket(client)
    _send_outbox_through(app, smtp_sink)
    [sent] = _answers(smtp_sink)
    requester = sent["To"].addresses[0].addr_spec
    tickets_before = session.query(Ticket).count()

    port, stop = free_port(), threading.Event()
    _allowed_smtp_ports.add(port)
    processing = InboundProcessing(app)  # as `helpdesk serve` runs it
    listener = make_listener(app, processing, "127.0.0.1", port)
    workers = processing.threads(stop)
    listener.start()
    for worker in workers:
        worker.start()
    try:
        answer = make_mail(
            sender=requester,
            to=sent["From"].addresses[0].addr_spec,
            subject=f"Re: {sent['Subject']}",
            message_id=make_msgid(domain="example.com"),
            in_reply_to=sent["Message-ID"],
            references=f"{sent['References']} {sent['Message-ID']}",
            body="Merci beaucoup, c'est parfait !\n\nLe lundi, Camille a écrit :\n> Bonjour",
        )
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.sendmail(requester, [sent["From"].addresses[0].addr_spec], answer)

        def answer_recorded():
            session.expire_all()
            return len(session.get(Ticket, ticket_id).messages) == 4

        wait_for(answer_recorded)  # 250 came once it was stored; processing follows
    finally:
        listener.stop()
        stop.set()
        for worker in workers:
            worker.join(timeout=30)

    session.expire_all()
    ticket = session.get(Ticket, ticket_id)
    assert session.query(Ticket).count() == tickets_before
    # the question, our automatic acknowledgement, the liaison's answer, the requester's reply
    assert [(m.direction, m.automatic) for m in ticket.messages] == [
        (Direction.IN, False),
        (Direction.OUT, True),
        (Direction.OUT, False),
        (Direction.IN, False),
    ]
    latest = ticket.messages[-1]
    assert latest.text == "Merci beaucoup, c'est parfait !"
    assert latest.quoted_text.startswith("Le lundi")
    assert ticket.status == Status.OPEN  # the requester answered: it needs attention again
