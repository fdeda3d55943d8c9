"""The ``helpdesk`` commands: create-user, import-mail, init."""

import json
import mailbox

from helpdesk.core.models import RawMail, RawMailState, Role, Ticket, User

from ..factories import make_mail, sample_mail


def test_create_user_reads_the_password_from_stdin(runner, session):
    result = runner.invoke(
        args=[
            "create-user",
            "ana@example.org",
            "--role",
            "liaison",
            "--languages",
            "pt,es",
            "--name",
            "Ana Souza",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.query(User).filter_by(email="ana@example.org").one()
    assert user.role == Role.LIAISON
    assert user.language_codes == {"pt", "es"}
    assert user.name == "Ana Souza"


def test_create_user_refuses_unknown_language_and_short_password(runner, session):
    bad_language = runner.invoke(
        args=["create-user", "x@example.org", "--languages", "xx"], input="a long enough password\n"
    )
    assert bad_language.exit_code != 0
    assert "Unknown language(s): xx" in bad_language.output
    short = runner.invoke(args=["create-user", "y@example.org"], input="short\n")
    assert short.exit_code != 0
    assert "at least 10 characters" in short.output
    assert session.query(User).count() == 0


def test_import_mail_reads_files_dirs_mbox_and_maildir(runner, session, tmp_path):
    eml_dir = tmp_path / "eml"
    eml_dir.mkdir()
    first = make_mail(message_id="<one@example.com>", subject="Première question")
    (eml_dir / "one.eml").write_bytes(first)
    (eml_dir / "broken.eml").write_bytes(b"not mail, not a single header\r\n\r\n?")
    box = mailbox.mbox(tmp_path / "archive.mbox")
    box.add(sample_mail("de"))
    box.add(make_mail(in_reply_to="<one@example.com>", body="Encore une chose."))
    box.add(first)  # the same message again
    box.close()
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    maildir.add(sample_mail("ja"))
    maildir.close()

    result = runner.invoke(
        args=[
            "import-mail",
            str(eml_dir),
            str(tmp_path / "archive.mbox"),
            str(tmp_path / "Maildir"),
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert {
        k: summary[k] for k in ("messages", "tickets_created", "threaded", "duplicates", "failed")
    } == {"messages": 6, "tickets_created": 3, "threaded": 1, "duplicates": 1, "failed": 1}
    assert "broken.eml" in summary["failures"][0]["source"]
    assert "not a mail message" in summary["failures"][0]["reason"]
    assert session.query(Ticket).count() == 3
    assert session.query(RawMail).filter_by(state=RawMailState.FAILED).count() == 1


def test_import_mail_human_summary_lists_failures(runner, tmp_path):
    (tmp_path / "bad.eml").write_bytes(b"no headers at all")
    result = runner.invoke(args=["import-mail", str(tmp_path / "bad.eml")])
    assert result.exit_code == 0
    assert "1 failed" in result.output
    assert "bad.eml" in result.output
    assert "quarantined" in result.output


def test_init_is_idempotent_and_creates_the_admin(runner, session):
    first = runner.invoke(
        args=["init", "--admin-email", "admin@example.org"], input="admin password 123\n"
    )
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["init"])
    assert again.exit_code == 0, again.output
    assert session.query(User).filter_by(role=Role.ADMIN).one().email == "admin@example.org"


def test_reprocess_after_a_fix_turns_quarantined_mail_into_a_ticket(
    runner, session, deliver, monkeypatch
):
    import mail_ingest.pipeline as pipeline

    real = pipeline.record_inbound_message

    def broken(*args, **kwargs):
        raise RuntimeError("bug in this version")

    monkeypatch.setattr(pipeline, "record_inbound_message", broken)
    result = deliver(make_mail(subject="Will work after the fix"))
    assert result.outcome == "failed"
    monkeypatch.setattr(pipeline, "record_inbound_message", real)
    output = runner.invoke(args=["reprocess", "--failed"])
    assert output.exit_code == 0, output.output
    assert f"{result.raw_mail_id}: created" in output.output
    assert session.query(Ticket).one().subject == "Will work after the fix"


def test_inspect_mail_reports_without_storing(runner, session, tmp_path):
    (tmp_path / "a.eml").write_bytes(
        make_mail(
            subject="Re: Inscription",
            body="Merci !\n\nLe lun. 3 mars, X a écrit :\n> Hello",
            in_reply_to="<x@example.org>",
            extra_headers={"Auto-Submitted": "auto-replied"},
        )
    )
    (tmp_path / "b.eml").write_bytes(b"garbage without headers")
    result = runner.invoke(
        args=["inspect-mail", "--json", str(tmp_path / "a.eml"), str(tmp_path / "b.eml")]
    )
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["subject"] == "Re: Inscription"
    assert first["text"] == "Merci !"
    assert first["quoted"].startswith("Le lun. 3 mars")
    assert first["in_reply_to"] == "<x@example.org>"
    assert first["automatic"] is True and first["bounce"] is False
    assert first["error"] is None
    assert second["error"] and "not a mail message" in second["error"]
    assert session.query(RawMail).count() == 0
