"""``helpdesk requester export|erase`` and ``helpdesk retention report|apply|set``."""

import json
import zipfile
from datetime import timedelta

from sqlalchemy import select

from helpdesk.core.models import (
    AuditAction,
    AuditEntry,
    Contact,
    Mailbox,
    RawMail,
    Ticket,
    utcnow,
)
from helpdesk.core.unit_of_work import unit_of_work

from ..privacy_scenario import ADDRESS, NAME, leftover_tokens, zorblatt  # noqa: F401


def test_export_writes_the_zip(runner, session, tmp_path, zorblatt):  # noqa: F811
    target = tmp_path / "out.zip"
    result = runner.invoke(args=["requester", "export", ADDRESS.upper(), str(target)])
    assert result.exit_code == 0, result.output
    assert "2 ticket(s), 3 message(s), 1 attachment(s) and 2 raw mail(s)" in result.output
    manifest = json.loads(zipfile.ZipFile(target).read("manifest.json"))
    assert manifest["requester"]["email"] == ADDRESS
    entry = session.scalar(select(AuditEntry))
    assert (entry.action, entry.actor_id) == (AuditAction.REQUESTER_EXPORTED, None)


def test_unknown_requester(runner, tmp_path, app):
    result = runner.invoke(args=["requester", "export", "nobody@example.net", str(tmp_path / "x")])
    assert result.exit_code == 1 and "No requester has the address" in result.output


def test_erase_asks_unless_yes(runner, session, app, zorblatt):  # noqa: F811
    result = runner.invoke(args=["requester", "erase", ADDRESS], input="n\n")
    assert result.exit_code == 1 and "cannot be undone" in result.output
    assert session.get(Contact, zorblatt.contact.id).name == NAME
    result = runner.invoke(args=["requester", "erase", ADDRESS, "--yes"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(Contact, zorblatt.contact.id).email is None
    assert leftover_tokens(app, session) == {}


def test_retention_set_report_apply(runner, session, zorblatt):  # noqa: F811
    with unit_of_work(session):
        box = Mailbox(address="help@example.org")
        session.add(box)
        session.flush()
        old = session.get(Ticket, zorblatt.tickets[1].id)
        old.mailbox_id, old.updated_at = box.id, utcnow() - timedelta(days=400)
    assert runner.invoke(args=["retention", "set", "help@example.org", "12"]).exit_code == 0
    report = runner.invoke(args=["retention", "report"])
    assert "would close 1 ticket(s); purge 1 raw mail(s)" in report.output, report.output
    assert session.scalar(select(RawMail).where(RawMail.message_id == old.messages[0].id))
    applied = runner.invoke(args=["retention", "apply", "--yes"])
    assert "did close 1 ticket(s); purge 1 raw mail(s)" in applied.output, applied.output
    session.expire_all()
    assert session.scalar(select(RawMail).where(RawMail.message_id == old.messages[0].id)) is None
    assert runner.invoke(args=["retention", "set", "help@example.org", "0"]).exit_code == 1
