"""Prometheus metrics. Request latency is measured in each process (under gunicorn, with
``PROMETHEUS_MULTIPROC_DIR`` set, prometheus_client adds up every worker's); everything about
mail and queues is read from the database at scrape time, so any process reports the whole."""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from ..core.db_session import DbSession
from ..core.services.operations import OperationsSnapshot, operations_snapshot

REQUEST_SECONDS = Histogram(
    "helpdesk_http_request_duration_seconds",
    "Time to answer a web request, by endpoint.",
    ["method", "endpoint", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)


class _DatabaseCollector(Collector):
    def __init__(self, snapshot: OperationsSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterator[Metric]:
        raw = self.snapshot.raw_mail_by_state
        yield CounterMetricFamily(
            "helpdesk_messages_ingested",
            "Inbound mail processed into tickets.",
            raw.get("processed", 0),
        )
        yield GaugeMetricFamily(
            "helpdesk_messages_quarantined",
            "Inbound mail kept raw for an admin.",
            raw.get("failed", 0),
        )
        yield GaugeMetricFamily(
            "helpdesk_messages_pending",
            "Inbound mail stored, not processed yet.",
            raw.get("pending", 0) + raw.get("retry", 0),
        )
        outbox = GaugeMetricFamily(
            "helpdesk_outbox_mail", "Outgoing mail by state.", labels=["state"]
        )
        for state in ("queued", "sending", "sent", "failed"):
            outbox.add_metric([state], self.snapshot.outbox_by_state.get(state, 0))
        yield outbox
        depth = GaugeMetricFamily(
            "helpdesk_queue_open_tickets", "Open tickets per language queue.", labels=["language"]
        )
        oldest = GaugeMetricFamily(
            "helpdesk_queue_oldest_waiting_seconds",
            "How long the longest-waiting open ticket's requester has waited, per queue.",
            labels=["language"],
        )
        for queue in self.snapshot.queues:
            depth.add_metric([queue.language], queue.open_tickets)
            oldest.add_metric([queue.language], queue.oldest_waiting_seconds)
        yield depth
        yield oldest


def render_metrics(session: DbSession) -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(_DatabaseCollector(operations_snapshot(session)))
    return generate_latest(registry), CONTENT_TYPE_LATEST
