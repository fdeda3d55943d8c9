"""`helpdesk explain-routing`: the routing decision for any .eml, with its evidence, unstored."""

import json

from helpdesk.core.models import Mailbox, RawMail, Ticket
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import make_mail, sample_mail


def _explain(runner, tmp_path, *mails):
    paths = []
    for n, data in enumerate(mails):
        paths.append(tmp_path / f"{n}.eml")
        paths[-1].write_bytes(data)
    result = runner.invoke(args=["explain-routing", "--json", *map(str, paths)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_detected_language_and_the_liaison_it_would_get(runner, session, make_user, tmp_path):
    liaison = make_user(languages=("ru",))
    [report] = _explain(runner, tmp_path, sample_mail("ru"))
    assert report["language"] == report["queue"] == report["detected"] == "ru"
    assert report["rule"] == "detected" and report["confidence"] > 0.9
    assert report["liaison"] == liaison.email
    assert session.query(Ticket).count() == 0 and session.query(RawMail).count() == 0


def test_hints_decide_when_the_text_says_too_little(runner, session, tmp_path):
    with unit_of_work(session):
        session.add(Mailbox(address="pt@example.org", default_language_code="pt"))
    declared, by_mailbox, nothing, broken = _explain(
        runner,
        tmp_path,
        make_mail(
            subject="ok",
            body="ok 123",
            extra_headers={"Content-Language": "de-DE"},
            to="pt@example.org",
        ),
        make_mail(subject="ok", body="ok 123", to="pt@example.org"),
        make_mail(subject="ok", body="ok 123", extra_headers={"Content-Language": "tlh"}),
        b"no headers at all",
    )
    assert (declared["queue"], declared["rule"]) == ("de", "content_language")
    assert declared["hints"] == {
        "content_language": "de",
        "mailbox_language": "pt",
        "requester_language": None,
    }
    assert (by_mailbox["queue"], by_mailbox["rule"]) == ("pt", "mailbox_default")
    assert (nothing["queue"], nothing["rule"]) == ("triage", "triage")  # Klingon is not served
    assert "not a mail message" in broken["error"]
    assert session.query(Ticket).count() == 0


def test_content_language_routes_real_mail_too(session, deliver):
    result = deliver(
        make_mail(subject="ok", body="ok 123", extra_headers={"Content-Language": "es"})
    )
    ticket = session.get(Ticket, result.ticket_id)
    assert (ticket.language_code, ticket.routing_rule) == ("es", "content_language")
