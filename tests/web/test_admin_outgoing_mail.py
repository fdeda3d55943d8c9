"""Outgoing mail settings in the browser: stored (secrets encrypted), pinned by the environment,
used by the outbox without a restart, and a test mail that shows the server's answer."""

from pathlib import Path

from sqlalchemy import select, text

from helpdesk.core.models import AuditAction, AuditEntry, OutboxMail, OutboxState, Role, Setting
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.workers.outbox import deliver_batch

SECRET = "s3cret-Pa55word-nobody-may-see"


def _save(post_form, **values):
    data = {
        "SMTP_HOST": "",
        "SMTP_PORT": "",
        "SMTP_SECURITY": "none",
        "SMTP_USER": "",
        "MAIL_FROM": "help@example.org",
        "SMTP_TIMEOUT": "5",
        "save": "1",
        **values,
    }
    return post_form("/admin/outgoing-mail", "/admin/outgoing-mail", data)


def database_bytes(app, session) -> bytes:
    """What the database holds: the SQLite files, or PostgreSQL's rows as text."""
    if session.get_bind().dialect.name == "sqlite":
        path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    rows = session.execute(
        text("SELECT s::text FROM settings s UNION ALL SELECT a::text FROM imap_accounts a")
    )
    return "\n".join(row[0] for row in rows).encode()


def test_settings_saved_in_the_browser_are_used_by_the_next_batch(
    app, client, session, login_as, make_user, post_form, smtp_sink
):
    admin = make_user(Role.ADMIN)
    login_as(admin)
    with unit_of_work(session):
        mail = OutboxMail(mail_from="help@example.org", recipients="a@example.net", content=b"x")
        session.add(mail)
    deliver_batch(app)  # no server set yet: into the outbox folder
    assert session.get(OutboxMail, mail.id).delivered_to.startswith("file:")

    response = _save(post_form, SMTP_HOST=smtp_sink.host, SMTP_PORT=str(smtp_sink.port))
    assert response.status_code == 302, response.get_data(as_text=True)
    with unit_of_work(session):
        session.add(
            OutboxMail(
                mail_from="help@example.org",
                recipients="b@example.net",
                content=b"Subject: hi\r\n\r\nhello\r\n",
            )
        )
    deliver_batch(app)  # the same process, no restart: the new settings
    assert smtp_sink.handler.envelopes == [("help@example.org", ["b@example.net"])]
    sent = session.scalars(select(OutboxMail).where(OutboxMail.recipients == "b@example.net")).one()
    assert sent.state == OutboxState.SENT and sent.delivered_to.startswith("smtp:")
    (entry,) = session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.SETTINGS_CHANGED)
    ).all()
    assert entry.actor_id == admin.id and entry.after["SMTP_HOST"] == smtp_sink.host


def test_the_password_is_encrypted_at_rest_and_never_shown(
    app, client, session, login_as, make_user, post_form
):
    login_as(make_user(Role.ADMIN))
    response = _save(
        post_form,
        SMTP_HOST="smtp.example.org",
        SMTP_SECURITY="starttls",
        SMTP_USER="helpdesk",
        SMTP_PASSWORD=SECRET,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    stored = session.get(Setting, "SMTP_PASSWORD").value
    assert stored and SECRET not in stored
    assert SECRET.encode() not in database_bytes(app, session)
    page = client.get("/admin/outgoing-mail").text
    assert SECRET not in page and "a password is set; type to replace" in page
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.SETTINGS_CHANGED)
    ).one()
    assert entry.after["SMTP_PASSWORD"] == "(changed)" and SECRET not in str(entry.after)

    # Saving again with the field left empty keeps the password.
    assert (
        _save(
            post_form, SMTP_HOST="smtp2.example.org", SMTP_SECURITY="starttls", SMTP_USER="helpdesk"
        ).status_code
        == 302
    )
    assert session.get(Setting, "SMTP_PASSWORD").value == stored


def test_without_a_usable_secrets_key_no_password_is_stored(
    app, client, session, login_as, make_user, post_form
):
    app.config["SECRETS_KEY"] = "not-a-fernet-key"
    login_as(make_user(Role.ADMIN))
    response = _save(
        post_form,
        SMTP_HOST="smtp.example.org",
        SMTP_SECURITY="tls",
        SMTP_USER="helpdesk",
        SMTP_PASSWORD=SECRET,
    )
    assert response.status_code == 400 and "HELPDESK_SECRETS_KEY" in response.text
    assert session.get(Setting, "SMTP_PASSWORD") is None


def test_a_setting_the_environment_pins_is_shown_read_only(
    app, client, session, login_as, make_user, post_form
):
    app.config["SMTP_HOST"] = "relay.example.org"
    app.config["PINNED_SETTINGS"] = {"SMTP_HOST": "HELPDESK_SMTP_HOST"}
    login_as(make_user(Role.ADMIN))
    page = client.get("/admin/outgoing-mail").text
    assert "HELPDESK_SMTP_HOST" in page and "relay.example.org" in page
    assert 'name="SMTP_HOST"' not in page
    assert _save(post_form, SMTP_HOST="other.example.org").status_code == 302
    assert session.get(Setting, "SMTP_HOST") is None  # the pinned value was not stored


def test_send_test_mail_shows_the_server_answer(
    client, session, login_as, make_user, post_form, smtp_sink
):
    login_as(make_user(Role.ADMIN))
    _save(post_form, SMTP_HOST=smtp_sink.host, SMTP_PORT=str(smtp_sink.port))
    response = post_form(
        "/admin/outgoing-mail",
        "/admin/outgoing-mail/test",
        {"recipient": "check@example.net", "send": "1"},
    )
    assert response.status_code == 200
    assert "It works" in response.text and "250 OK" in response.text
    assert smtp_sink.handler.envelopes == [("help@example.org", ["check@example.net"])]
    assert session.scalars(select(OutboxMail)).first() is None  # sent directly, not queued


def test_send_test_mail_to_a_closed_port_shows_the_error(
    client, login_as, make_user, post_form, closed_smtp_port
):
    login_as(make_user(Role.ADMIN))
    _save(post_form, SMTP_HOST="127.0.0.1", SMTP_PORT=str(closed_smtp_port))
    response = post_form(
        "/admin/outgoing-mail",
        "/admin/outgoing-mail/test",
        {"recipient": "check@example.net", "send": "1"},
    )
    assert "It does not work" in response.text
    assert "ConnectionRefusedError" in response.text and "Connection refused" in response.text
