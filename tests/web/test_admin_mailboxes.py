"""The mailboxes page: IMAP accounts and inbound addresses edited in the browser, audited, with
a connection test against a real Dovecot that shows the server's own answer."""

from sqlalchemy import select

from helpdesk.core.models import AuditAction, AuditEntry, ImapAccount, Mailbox, Role
from helpdesk.core.services.imap_accounts import ImapAccountInput, save_imap_account
from helpdesk.core.services.secret_box import SecretBox
from helpdesk.core.unit_of_work import unit_of_work

from .test_admin_outgoing_mail import database_bytes


def _audit(session, action):
    return session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def _account_data(prefix="new-", **values):
    data = {
        "host": "imap.example.org",
        "port": "993",
        "security": "tls",
        "username": "aide@example.org",
        "password": "imap-Secret-123",
        "folder": "INBOX",
        "use_idle": "y",
        "address": "Aide@Example.org",
        "language": "fr",
        "enabled": "y",
        "save": "1",
        **values,
    }
    return {prefix + key: value for key, value in data.items()}


def test_an_imap_account_is_added_changed_and_removed_with_audit_entries(
    app, client, session, login_as, make_user, post_form
):
    admin = make_user(Role.ADMIN)
    login_as(admin)
    response = post_form("/admin/mailboxes", "/admin/mailboxes/imap", _account_data())
    assert response.status_code == 302, response.get_data(as_text=True)
    account = session.scalars(select(ImapAccount)).one()
    assert (account.username, account.language_code, account.address) == (
        "aide@example.org",
        "fr",
        "aide@example.org",
    )
    assert b"imap-Secret-123" not in database_bytes(app, session)
    mailbox = session.scalars(select(Mailbox).where(Mailbox.address == "aide@example.org")).one()
    assert mailbox.default_language_code == "fr"  # its mail is routed to French
    (created,) = _audit(session, AuditAction.MAILBOX_CREATED)
    assert "password" not in created.after and created.after["host"] == "imap.example.org"
    page = client.get("/admin/mailboxes").text
    assert "imap-Secret-123" not in page and "a password is set; type to replace" in page

    prefix = f"a{account.id}-"
    changed = _account_data(prefix, folder="Support", password="new-Secret-456")
    assert (
        post_form("/admin/mailboxes", f"/admin/mailboxes/imap/{account.id}", changed).status_code
        == 302
    )
    (change,) = _audit(session, AuditAction.MAILBOX_CHANGED)
    assert change.after == {"folder": "Support", "password": "(changed)"}
    assert change.before == {"folder": "INBOX", "password": "(changed)"}

    response = post_form(
        "/admin/mailboxes", f"/admin/mailboxes/imap/{account.id}/action", {"delete": "1"}
    )
    assert response.status_code == 302
    assert session.scalars(select(ImapAccount)).first() is None
    assert len(_audit(session, AuditAction.MAILBOX_DELETED)) == 1


def test_a_password_in_clear_is_refused(client, session, login_as, make_user, post_form):
    login_as(make_user(Role.ADMIN))
    data = _account_data(security="none")
    assert post_form("/admin/mailboxes", "/admin/mailboxes/imap", data).status_code == 400
    assert session.scalars(select(ImapAccount)).first() is None


def test_environment_mailboxes_are_shown_read_only(app, client, login_as, make_user):
    app.config["IMAP_MAILBOXES"] = [
        {"host": "env.example.org", "user": "env@example.org", "password": "env-Secret-789"}
    ]
    login_as(make_user(Role.ADMIN))
    page = client.get("/admin/mailboxes").text
    assert "env.example.org" in page and "env-Secret-789" not in page
    assert "Set by the environment variable HELPDESK_IMAP_MAILBOXES." in page


def test_inbound_addresses_are_added_and_changed_with_audit_entries(
    client, session, login_as, make_user, post_form
):
    login_as(make_user(Role.ADMIN))
    data = {
        "address-address": "hilfe@example.org",
        "address-name": "Hilfe",
        "address-language": "de",
        "address-save": "1",
    }
    assert post_form("/admin/mailboxes", "/admin/mailboxes/addresses", data).status_code == 302
    mailbox = session.scalars(select(Mailbox).where(Mailbox.address == "hilfe@example.org")).one()
    assert (mailbox.name, mailbox.default_language_code) == ("Hilfe", "de")
    prefix = f"m{mailbox.id}-"
    data = {
        f"{prefix}address": mailbox.address,
        f"{prefix}name": "Hilfe DE",
        f"{prefix}language": "",
        f"{prefix}save": "1",
    }
    url = f"/admin/mailboxes/addresses/{mailbox.id}"
    assert post_form("/admin/mailboxes", url, data).status_code == 302
    session.refresh(mailbox)
    assert (mailbox.name, mailbox.default_language_code) == ("Hilfe DE", None)
    assert len(_audit(session, AuditAction.MAILBOX_CREATED)) == 1
    (change,) = _audit(session, AuditAction.MAILBOX_CHANGED)
    assert change.after["language"] is None and change.before["language"] == "de"


def _account(app, session, server, **overrides):
    fields = {
        "host": server.host,
        "port": server.tls_port,
        "security": "tls",
        "username": server.user,
        "password": server.password,
        "ca_file": str(server.ca_file),
        **overrides,
    }
    with unit_of_work(session):
        return save_imap_account(
            session, SecretBox(app.config["SECRETS_KEY"]), None, None, ImapAccountInput(**fields)
        )


def test_test_connection_reports_the_server_s_own_answer(
    app, client, session, login_as, make_user, post_form, imap_tls_server
):
    server = imap_tls_server
    good = _account(app, session, server)
    starttls = _account(app, session, server, security="starttls", port=server.port)
    bad = _account(app, session, server, password="wrong-password")
    untrusted = _account(app, session, server, ca_file=None)
    misnamed = _account(app, session, server, host=server.unnamed_host)
    login_as(make_user(Role.ADMIN))

    def test(account):
        url = f"/admin/mailboxes/imap/{account.id}/action"
        response = post_form("/admin/mailboxes", url, {"test": "1"})
        assert response.status_code == 200
        return response.text

    for account in (good, starttls):
        page = test(account)
        assert "It works" in page and "Dovecot" in page and "ready" in page
        assert "Logged in" in page and "CAPABILITY IMAP4REV1" in page

    page = test(bad)
    assert "It does not work" in page and "AUTHENTICATIONFAILED" in page
    assert "refused the user name or password" in page

    page = test(untrusted)
    assert "CERTIFICATE_VERIFY_FAILED" in page and "is not trusted" in page
    assert "Logged in" not in page

    page = test(misnamed)
    assert "CERTIFICATE_VERIFY_FAILED" in page and "mismatch" in page
