"""IMAP over implicit TLS and STARTTLS against a real Dovecot that requires TLS, with a
certificate from a throwaway CA: mail arrives only over a verified channel, and the password
never travels where the channel is not (or cannot be) protected."""

import imaplib
import logging
import ssl
import threading
from contextlib import contextmanager, suppress
from dataclasses import replace

import pytest

from helpdesk.core.models import RawMail, Ticket
from helpdesk.workers.imap import DatabaseCheckpoints
from helpdesk.workers.inbound import make_deliver
from mail_ingest.imap import ImapMailbox, ImapSecurityError, connect, poll_forever, sync_folder

from ..conftest import wait_for
from ..factories import make_mail


def _box(server, security, **options):
    """A mailbox as an operator configures it (the JSON keys of HELPDESK_IMAP_MAILBOXES)."""
    port = server.tls_port if security == "tls" else server.port
    entry = {"host": server.host, "port": port, "user": server.user}
    return ImapMailbox.from_config(
        {**entry, "password": server.password, "security": security, **options}
    )


def _trusting(server, security, **options):
    return _box(server, security, ca_file=str(server.ca_file), **options)


def _sync(app, box):
    with connect(box) as client:
        return sync_folder(client, box, make_deliver(app), DatabaseCheckpoints(app))


@contextmanager
def _no_password_sent(server):
    """Inside, the connection must fail before any login. The client's exception proves it (no
    application data crosses a failed handshake); Dovecot's log must agree: no login, no failed
    authentication. Its "no auth attempts" line usually follows at once, but its log process
    has been seen to lag for long on a loaded machine, so it is awaited and not required."""
    start = len(server.log())
    yield
    with suppress(AssertionError):
        wait_for(lambda: "no auth attempts" in server.log()[start:], timeout=10)
    assert "auth failed" not in server.log()[start:]
    assert "Login: " not in server.log()[start:]


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_mail_becomes_one_ticket_over_verified_tls(app, session, imap_tls_server, security):
    imap_tls_server.append(make_mail(subject=f"Over {security}"))
    box = _trusting(imap_tls_server, security)
    with connect(box) as client:
        assert client.socket().version() in ("TLSv1.2", "TLSv1.3")
    assert _sync(app, box) == 1
    assert _sync(app, box) == 0
    assert [t.subject for t in session.query(Ticket)] == [f"Over {security}"]
    assert all("\\Seen" in flags for flags in imap_tls_server.flags().values())


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_a_certificate_from_an_unknown_ca_is_refused(imap_tls_server, security):
    with _no_password_sent(imap_tls_server), pytest.raises(ssl.SSLCertVerificationError):
        connect(_box(imap_tls_server, security))  # the system trust store knows no test CA


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_a_trusted_certificate_for_another_name_is_refused(imap_tls_server, security):
    box = _trusting(imap_tls_server, security)
    with (
        _no_password_sent(imap_tls_server),
        pytest.raises(ssl.SSLCertVerificationError, match="IP address mismatch"),
    ):
        connect(replace(box, host=imap_tls_server.unnamed_host))


def test_an_untrusted_mailbox_records_nothing_and_blocks_no_other(
    app, session, imap_tls_server, caplog
):
    imap_tls_server.create_folder("Untrusted")
    imap_tls_server.append(make_mail(subject="Behind an unknown CA"), folder="Untrusted")
    imap_tls_server.append(make_mail(subject="Trusted"))
    untrusted = _box(imap_tls_server, "tls", folder="Untrusted")
    trusted = _trusting(imap_tls_server, "starttls")
    stop = threading.Event()
    deliver, checkpoints = make_deliver(app), DatabaseCheckpoints(app)
    threads = [
        threading.Thread(target=poll_forever, args=(box, deliver, checkpoints, stop, 60.0))
        for box in (untrusted, trusted)
    ]
    caplog.set_level(logging.ERROR, logger="mail_ingest.imap")
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: session.query(Ticket).count() == 1, timeout=10)
        wait_for(lambda: _failed_verification(caplog, untrusted), timeout=10)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    assert not any(thread.is_alive() for thread in threads)
    assert [t.subject for t in session.query(Ticket)] == ["Trusted"]
    assert session.query(RawMail).count() == 1
    assert all("\\Seen" not in flags for flags in imap_tls_server.flags("Untrusted").values())
    assert checkpoints.load(untrusted.key) == (None, 0)


def _failed_verification(caplog, box):
    return any(
        box.key in record.getMessage()
        and isinstance(record.exc_info[1], ssl.SSLCertVerificationError)
        for record in caplog.records
        if record.exc_info
    )


def test_the_server_refuses_a_plaintext_password(imap_tls_server):
    """The premise of the next test: this Dovecot never accepts a password in clear."""
    server = imap_tls_server
    with (
        imaplib.IMAP4(server.host, server.port, timeout=10) as client,
        pytest.raises(imaplib.IMAP4.error, match="PRIVACYREQUIRED"),
    ):
        client.login(server.user, server.password)


def test_no_password_in_clear_where_the_server_requires_tls(imap_tls_server):
    with (
        _no_password_sent(imap_tls_server),
        pytest.raises(ImapSecurityError, match="refuses passwords without TLS"),
    ):
        connect(_box(imap_tls_server, "none"))


def test_starttls_never_falls_back_to_plaintext(imap_server):
    """A server (or a man in the middle) that does not offer STARTTLS gets no password."""
    with (
        _no_password_sent(imap_server),
        pytest.raises(ImapSecurityError, match="does not offer STARTTLS"),
    ):
        connect(_box(imap_server, "starttls"))


def test_ca_file_must_exist(imap_tls_server, tmp_path):
    with pytest.raises(ValueError, match="ca_file"):
        _box(imap_tls_server, "tls", ca_file=str(tmp_path / "missing.pem"))
