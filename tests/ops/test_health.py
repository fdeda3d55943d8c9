"""Liveness, readiness and metrics: what monitoring sees."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select, text

from helpdesk.core.models import WorkerHeartbeat, utcnow
from helpdesk.core.services.heartbeats import MISSED_BEATS, beat, forget
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.observability import JsonFormatter, RequestIdFilter

from ..conftest import wait_for
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
            {"old": utcnow() - timedelta(seconds=MISSED_BEATS * 10 + 1)},
        )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["workers"] == {"silent": ["imap@there:2"]}
    with unit_of_work(session):  # a worker that stops cleanly says goodbye
        forget(session, "imap@there:2")
    assert client.get("/readyz").status_code == 200


def test_readyz_fails_when_migrations_are_not_current(client, session):
    current = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    with unit_of_work(session):
        session.execute(text("UPDATE alembic_version SET version_num = 'd023d4cbe589'"))
    try:
        response = client.get("/readyz")
    finally:  # on PostgreSQL the schema outlives the test
        with unit_of_work(session):
            session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
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


def _start_worker(tmp_path, role: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(tmp_path / "data"),
        "HELPDESK_SECRET_KEY": "x" * 32,
        "HELPDESK_HEARTBEAT_SECONDS": "0.2",
        "HELPDESK_OUTBOX_POLL_SECONDS": "0.2",
    }
    env["HELPDESK_DATABASE_URL"] = os.environ.get(
        "TEST_DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'test.sqlite3'}"
    )
    command = [sys.executable, "-m", "helpdesk.cli", "worker", role]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _heartbeats(session, process: subprocess.Popen) -> list[str]:
    """The heartbeat rows of ``process`` (role@host:pid)."""
    session.rollback()
    rows = session.scalars(select(WorkerHeartbeat.worker))
    return [row for row in rows if row.endswith(f":{process.pid}")]


def test_a_worker_beats_stops_cleanly_on_sigterm_and_a_killed_one_fails_readiness(
    app, client, session, tmp_path
):
    app.config["HEARTBEAT_SECONDS"] = 0.2
    stopped = _start_worker(tmp_path, "outbox")
    try:
        wait_for(lambda: len(_heartbeats(session, stopped)) == 1)
        assert client.get("/readyz").status_code == 200
        stopped.send_signal(signal.SIGTERM)
        output, _ = stopped.communicate(timeout=30)
    finally:
        stopped.kill()
    assert stopped.returncode == 0, output.decode()
    assert _heartbeats(session, stopped) == []  # it said goodbye: not expected any more

    killed = _start_worker(tmp_path, "outbox")
    try:
        wait_for(lambda: len(_heartbeats(session, killed)) == 1)
    finally:
        killed.kill()
        killed.communicate(timeout=30)
    wait_for(lambda: client.get("/readyz").status_code == 503, timeout=10)
    silent = client.get("/readyz").get_json()["checks"]["workers"]["silent"]
    assert silent == _heartbeats(session, killed) and silent[0].startswith("outbox@")
