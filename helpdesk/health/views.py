"""``/healthz`` (the process answers), ``/readyz`` (it can do its work) and ``/metrics``."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import text

from ..core.services.heartbeats import silent_workers
from ..database import schema_is_current
from ..extensions import db
from .metrics import render_metrics

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    """The process lives and answers; nothing else is checked."""
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready when the database answers, its schema is the code's, and no worker went quiet."""
    checks: dict[str, object] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
        checks["migrations"] = "ok" if schema_is_current() else "not current"
        beat_every = timedelta(seconds=current_app.config["HEARTBEAT_SECONDS"])
        silent = [w.worker for w in silent_workers(db.session, beat_every)]
        checks["workers"] = "ok" if not silent else {"silent": silent}
    except Exception as error:  # noqa: BLE001 - any failure here means "not ready"
        current_app.logger.warning("readiness check failed: %s", error)
        checks.setdefault("database", "unreachable")
    ready = all(value == "ok" for value in checks.values()) and len(checks) == 3
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


@blueprint.get("/metrics")
def metrics() -> Response:
    """Prometheus text format, for the addresses allowed to scrape (loopback by default)."""
    if not _may_scrape(request.remote_addr or ""):
        abort(403)
    body, content_type = render_metrics(db.session)
    return Response(body, content_type=content_type)


def _may_scrape(address: str) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(net) for net in current_app.config["METRICS_ALLOW"])
