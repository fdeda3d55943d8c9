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
    assert "unknown language" in bad_language.output
    short = runner.invoke(args=["create-user", "y@example.org"], input="short\n")
    assert short.exit_code != 0
    assert "at least 10 characters" in short.output
    assert session.query(User).count() == 0


def test_import_mail_reads_files_dirs_mbox_and_maildir(runner, session, tmp_path):
    eml_dir = tmp_path / "eml"
    eml_dir.mkdir()
    first = make_mail(message_id="<one@example.com>", subject="Première question")
    (eml_dir / "one.eml").write_bytes(first)
    (eml_dir / "broken.eml").write_bytes(b"Subject: nobody sent this\r\n\r\n?")
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
    assert "no sender" in summary["failures"][0]["reason"]
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
