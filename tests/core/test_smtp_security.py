"""Outgoing SMTP with STARTTLS or implicit TLS and a login, against real aiosmtpd servers with a
throwaway CA: certificates are always verified, and a refused login keeps the mail queued."""

import ssl
from dataclasses import dataclass, field

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from helpdesk.core.models import OutboxMail, OutboxState
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.replies import ReplyInput, reply
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.workers.outbox import deliver_due
from helpdesk.workers.transports import SMTPTransport

from ..conftest import SinkHandler, _allowed_smtp_ports, free_port

USER, PASSWORD = "help@example.org", "s3cret-submission"


@dataclass
class Authenticator:
    logins: list[str] = field(default_factory=list)

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (USER, PASSWORD)
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)  # handled=True: "I answered myself"


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def _server_context(ca) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture(params=["starttls", "tls"])
def secure_server(request, ca):
    """A submission server: STARTTLS required before AUTH, or implicit TLS."""
    handler, authenticator, port = SinkHandler(), Authenticator(), free_port()
    tls = _server_context(ca)
    # PLAIN only: a refused login is then one round trip (smtplib tries each offered mechanism)
    options = dict(authenticator=authenticator, auth_exclude_mechanism=["LOGIN"])
    if request.param == "starttls":
        controller = Controller(
            handler,
            hostname="127.0.0.1",
            port=port,
            tls_context=tls,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            **options,
        )
    else:  # aiosmtpd's auth_require_tls knows only STARTTLS; here the whole session is TLS
        controller = Controller(
            handler,
            hostname="127.0.0.1",
            port=port,
            ssl_context=tls,
            auth_require_tls=False,
            **options,
        )
    controller.start()
    _allowed_smtp_ports.add(port)
    try:
        yield request.param, port, handler, authenticator
    finally:
        controller.stop()


def _queue_reply(session, create_ticket, make_user) -> OutboxMail:
    ticket = create_ticket("de")
    with unit_of_work(session):
        reply(
            session,
            ticket,
            make_user(languages=("de",)),
            ReplyInput("Danke."),
            MailSettings("help@example.org", "example.org"),
        )
    return session.query(OutboxMail).one()


def test_mail_goes_out_encrypted_and_authenticated(
    session, create_ticket, make_user, secure_server, ca_file
):
    security, port, handler, authenticator = secure_server
    mail = _queue_reply(session, create_ticket, make_user)
    transport = SMTPTransport("127.0.0.1", port, security, USER, PASSWORD, 5, ca_file)
    assert deliver_due(session, transport, max_attempts=3) == 1
    session.refresh(mail)
    assert mail.state == OutboxState.SENT
    assert authenticator.logins == [USER]
    [received] = handler.messages
    assert received["Message-ID"] == mail.message.message_id


def test_a_certificate_the_system_does_not_trust_keeps_the_mail_queued(
    session, create_ticket, make_user, secure_server
):
    security, port, handler, authenticator = secure_server
    mail = _queue_reply(session, create_ticket, make_user)
    transport = SMTPTransport("127.0.0.1", port, security, USER, PASSWORD, 5)  # no ca_file
    deliver_due(session, transport, max_attempts=3)
    session.refresh(mail)
    assert mail.state == OutboxState.QUEUED
    assert "CERTIFICATE_VERIFY_FAILED" in mail.last_error
    assert handler.messages == [] and authenticator.logins == []


def test_a_refused_login_keeps_the_mail_queued(
    session, create_ticket, make_user, secure_server, ca_file
):
    security, port, handler, _ = secure_server
    mail = _queue_reply(session, create_ticket, make_user)
    transport = SMTPTransport("127.0.0.1", port, security, USER, "wrong password", 5, ca_file)
    deliver_due(session, transport, max_attempts=3)
    session.refresh(mail)
    assert mail.state == OutboxState.QUEUED
    assert "login refused" in mail.last_error
    assert handler.messages == []


def test_a_password_is_never_configured_for_a_clear_connection():
    with pytest.raises(ValueError, match="never sent in clear"):
        SMTPTransport("smtp.example.org", 25, "none", USER, PASSWORD, 5)
