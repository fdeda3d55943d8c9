"""Liveness, readiness and metrics: what monitoring sees."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlalchemy import text

from helpdesk.core.models import utcnow
from helpdesk.core.services.heartbeats import STALE_AFTER, beat, forget
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.observability import JsonFormatter, RequestIdFilter

from ..factories import make_mail


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_on_a_current_schema_with_live_workers(client, session):
    with unit_of_work(session):
        beat(session, "outbox@here:1", "outbox")
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"] == {"database": "ok", "migrations": "ok", "workers": "ok"}


def test_readyz_fails_when_a_worker_stops_beating(client, session):
    with unit_of_work(session):
        beat(session, "outbox@here:1", "outbox")
        beat(session, "imap@there:2", "imap")
    with unit_of_work(session):  # the IMAP worker was killed: its last beat grows old
        session.execute(
            text("UPDATE worker_heartbeats SET beat_at = :old WHERE worker = 'imap@there:2'"),
            {"old": utcnow() - STALE_AFTER - timedelta(seconds=1)},
        )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["workers"] == {"silent": ["imap@there:2"]}
    with unit_of_work(session):  # a worker that stops cleanly says goodbye
        forget(session, "imap@there:2")
    assert client.get("/readyz").status_code == 200


def test_readyz_fails_when_migrations_are_not_current(client, session):
    with unit_of_work(session):
        session.execute(text("UPDATE alembic_version SET version_num = 'd023d4cbe589'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] == "not current"


def test_metrics_report_mail_queues_and_requests(client, deliver):
    deliver(make_mail(body="Bonjour, je voudrais m'inscrire à la réunion de jeudi prochain."))
    deliver(b"this is not a mail at all")
    client.get("/healthz")
    body = client.get("/metrics").get_data(as_text=True)
    assert "helpdesk_messages_ingested_total 1.0" in body
    assert 'helpdesk_queue_open_tickets{language="fr"} 1.0' in body
    assert 'helpdesk_queue_oldest_waiting_seconds{language="fr"}' in body
    assert 'helpdesk_outbox_mail{state="queued"}' in body
    assert 'helpdesk_http_request_duration_seconds_count{endpoint="health.healthz"' in body


def test_metrics_refused_to_addresses_not_allowed(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code == 403


def test_every_response_carries_a_request_id_and_a_safe_one_is_kept(client):
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-1234"}).headers["X-Request-ID"]
    assert kept == "lb-1234"
    for hostile in ("<script>alert(1)</script>", "x" * 500):
        replaced = client.get("/healthz", headers={"X-Request-ID": hostile})
        assert replaced.headers["X-Request-ID"] != hostile
        assert len(replaced.headers["X-Request-ID"]) == 32


def test_json_logs_carry_the_request_id(app):
    record = logging.LogRecord("helpdesk", logging.INFO, __file__, 1, "sent %s", ("it",), None)
    with app.test_request_context("/", headers={"X-Request-ID": "req-42"}):
        from helpdesk.observability import _start

        _start()
        RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "sent it" and entry["request_id"] == "req-42"
