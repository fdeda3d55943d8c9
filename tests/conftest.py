"""Fixtures: an app with a fresh database per test, clients, factories and real SMTP servers."""

from __future__ import annotations

import os
import re
import smtplib
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import stamp, upgrade
from sqlalchemy import event, text

from config import TestConfig
from helpdesk import MIGRATIONS_DIR, create_app
from helpdesk.core.models import Base, Role, User
from helpdesk.core.services.languages import ensure_languages
from helpdesk.core.services.users import NewUser, create_user
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.extensions import db as _db
from mail_ingest.pipeline import IngestContext, IngestResult, ingest

from .factories import PASSWORD, sample_mail

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
LANGUAGES = ["ar", "fr", "de", "hi", "ja", "zh", "ru", "es", "pt", "en"]


# --- CI: real-service tests must run, never skip ---------------------------------------------

_skipped: list[str] = []


def pytest_report_header(config) -> str:
    return f"database: {'PostgreSQL' if POSTGRES_URL else 'SQLite'}"


def pytest_runtest_logreport(report) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus) -> None:
    if os.environ.get("CI") == "true" and _skipped:
        print(f"\nCI=true and {len(_skipped)} test(s) skipped: {', '.join(_skipped)}")
        session.exitstatus = 1


# --- database -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_schema(tmp_path_factory) -> Iterator[None]:
    """On PostgreSQL the real migrations build the schema once; each test then empties it."""
    if not POSTGRES_URL:
        yield
        return
    setup_app = create_app(TestConfig(tmp_path_factory.mktemp("schema")))
    with setup_app.app_context():
        _db.drop_all()
        with _db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=str(MIGRATIONS_DIR))
        _db.engine.dispose()
    yield


def _empty_postgres_tables() -> None:
    names = [t.name for t in Base.metadata.sorted_tables] + ["search_postings"]
    tables = ", ".join(f'"{name}"' for name in names)
    with _db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(tmp_path, postgres_schema) -> Iterator[Flask]:
    from helpdesk.core.services.related_tickets import forget_cached_terms

    forget_cached_terms()  # a fresh database: ticket ids are reused, with other texts
    application = create_app(TestConfig(tmp_path / "data"))
    with application.app_context():
        if POSTGRES_URL:
            _empty_postgres_tables()
        else:  # a fresh SQLite file per test: the models' schema, marked as migrated
            _db.create_all()
            stamp(directory=str(MIGRATIONS_DIR))
        with unit_of_work(_db.session):
            ensure_languages(_db.session, LANGUAGES)
        yield application
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def session(app):
    return _db.session


class RequestScopedClient(FlaskClient):
    """The test client shares the fixture's app context, so ``g`` (where Flask-Login and
    Flask-Babel cache the user and locale) would outlive a request. A real request starts with an
    empty ``g``; so does each request here."""

    def open(self, *args: Any, **kwargs: Any):
        if has_app_context():
            for name in list(vars(g)):
                delattr(g, name)
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app) -> FlaskClient:
    app.test_client_class = RequestScopedClient
    return app.test_client()


@pytest.fixture
def runner(app) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app) -> Callable[[], Any]:
    """``with count_queries() as counter: ...`` then ``counter.count``. Starts from a fresh session,
    as a real request does (the test client shares the fixture's app context and session)."""

    class Counter:
        count = 0

        def __enter__(self) -> Counter:
            _db.session.remove()
            event.listen(_db.engine, "before_cursor_execute", self._hit)
            return self

        def __exit__(self, *exc: object) -> None:
            event.remove(_db.engine, "before_cursor_execute", self._hit)

        def _hit(self, *args: object) -> None:
            self.count += 1

    return Counter


# --- factories --------------------------------------------------------------------------------


@pytest.fixture
def make_user(session) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        role: Role = Role.LIAISON,
        languages: tuple[str, ...] = ("fr",),
        email: str | None = None,
        name: str | None = None,
    ) -> User:
        n = next(counter)
        with unit_of_work(session):
            user = create_user(
                session,
                NewUser(
                    email or f"{role.value}{n}@example.org",
                    name or f"{role.value.title()} {n}",
                    PASSWORD,
                    role,
                    languages,
                ),
            )
        return user

    return make


@pytest.fixture(params=["folder", "database"])
def blob_backend(request, app) -> str:
    """Run the test with each blob store backend. Name it before any fixture that builds a
    store (``ingest_context``, ``deliver``…): stores read the setting when they are built."""
    app.config["BLOB_STORE"] = request.param
    return request.param


@pytest.fixture
def ingest_context(app) -> IngestContext:
    return IngestContext.from_config(app.config)


@pytest.fixture
def deliver(session, ingest_context) -> Callable[..., IngestResult]:
    """Run raw mail through the real pipeline, as every transport does."""

    def run(data: bytes, source: str = "test") -> IngestResult:
        return ingest(session, ingest_context, data, source)

    return run


@pytest.fixture
def create_ticket(deliver, session):
    """A ticket opened by a realistic mail in ``language``; returns the Ticket."""
    from helpdesk.core.models import Ticket

    def create(language: str = "fr", **overrides: object) -> Ticket:
        result = deliver(sample_mail(language, **overrides))
        assert result.ticket_id is not None, result
        ticket = session.get(Ticket, result.ticket_id)
        assert ticket is not None
        return ticket

    return create


# --- web ----------------------------------------------------------------------------------------

CSRF_FIELD = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


@pytest.fixture
def login_as(client) -> Callable[[User], None]:
    def login(user: User, password: str = PASSWORD) -> None:
        page = client.get("/auth/login").get_data(as_text=True)
        response = client.post(
            "/auth/login",
            data={"email": user.email, "password": password, "csrf_token": csrf_token(page)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)

    return login


@pytest.fixture
def post_form(client):
    """POST a form the way a browser does: with the CSRF token from the page it is on."""

    def post(page_url: str, action_url: str, data: dict[str, Any], **kwargs: Any):
        page = client.get(page_url).get_data(as_text=True)
        return client.post(action_url, data={**data, "csrf_token": csrf_token(page)}, **kwargs)

    return post


# --- waiting on other threads and processes ------------------------------------------------------


def wait_for(predicate: Callable[[], object], timeout: float = 20.0) -> None:
    """Poll until ``predicate()`` is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s")


# --- IMAP ---------------------------------------------------------------------------------------


@pytest.fixture
def imap_server(tmp_path):
    """A real Dovecot IMAP server with one user and an empty Maildir; stopped after the test."""
    from .imap_server import start_dovecot

    server, stop = start_dovecot(tmp_path / "dovecot-instance")
    yield server
    stop()


@pytest.fixture
def imap_tls_server(tmp_path):
    """Dovecot that requires TLS (implicit on ``tls_port``, STARTTLS on ``port``) and refuses
    plaintext passwords; its certificate comes from a throwaway CA at ``ca_file``."""
    from .imap_server import make_tls_files, start_dovecot

    tls = make_tls_files(tmp_path / "tls")
    server, stop = start_dovecot(tmp_path / "dovecot-tls-instance", tls)
    yield server
    stop()


# --- SMTP -------------------------------------------------------------------------------------

_allowed_smtp_ports: set[int] = set()


@pytest.fixture(autouse=True)
def no_unexpected_smtp(monkeypatch):
    """Any SMTP connection to a server the test did not start fails the test."""
    original = smtplib.SMTP.connect

    def guarded(self, host="localhost", port=0, source_address=None):
        if int(port) not in _allowed_smtp_ports:
            raise AssertionError(f"unexpected outbound SMTP connection to {host}:{port}")
        return original(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", guarded)
    yield
    _allowed_smtp_ports.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def closed_smtp_port() -> int:
    """A loopback port nobody listens on, which tests may try to reach."""
    port = free_port()
    _allowed_smtp_ports.add(port)
    return port


@dataclass
class SinkHandler:
    """Records what it receives; answers ``reply`` (a list consumed one per DATA) when given."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


@dataclass
class SmtpSink:
    host: str
    port: int
    handler: SinkHandler


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A real aiosmtpd server on loopback that keeps every message it is sent."""
    handler = SinkHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    _allowed_smtp_ports.add(port)
    try:
        yield SmtpSink("127.0.0.1", port, handler)
    finally:
        controller.stop()
