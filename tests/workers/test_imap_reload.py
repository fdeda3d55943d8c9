"""The IMAP worker follows the mailboxes set in the browser without a restart."""

import threading

from helpdesk.core.models import Ticket
from helpdesk.core.services.imap_accounts import (
    ImapAccountInput,
    delete_imap_account,
    save_imap_account,
)
from helpdesk.core.services.secret_box import SecretBox
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.workers.imap import imap_threads
from helpdesk.workers.inbound import InboundProcessing

from ..conftest import wait_for
from ..factories import make_mail


def _pollers() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.startswith("imap ") and t.is_alive()}


def test_an_added_mailbox_is_read_and_a_removed_one_stopped(app, session, imap_tls_server):
    server = imap_tls_server
    app.config["IMAP_RELOAD_SECONDS"] = 0.2
    stop = threading.Event()
    processing = InboundProcessing(app)
    threads = [*imap_threads(app, stop, processing.deliver), *processing.threads(stop)]
    for thread in threads:
        thread.start()
    try:
        assert not _pollers()
        server.append(make_mail(subject="ok", body="ok 123", to="aide@example.org"))
        with unit_of_work(session):
            account = save_imap_account(
                session,
                SecretBox(app.config["SECRETS_KEY"]),
                None,
                None,
                ImapAccountInput(
                    host=server.host,
                    port=server.tls_port,
                    security="tls",
                    username=server.user,
                    password=server.password,
                    ca_file=str(server.ca_file),
                    address="aide@example.org",
                    language_code="pt",
                ),
            )
        wait_for(lambda: session.query(Ticket).count() == 1)
        session.expire_all()
        assert session.query(Ticket).one().language_code == "pt"  # the account's language
        assert len(_pollers()) == 1

        with unit_of_work(session):
            delete_imap_account(session, None, account)
        wait_for(lambda: not _pollers())
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
