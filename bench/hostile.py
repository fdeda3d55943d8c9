"""Hostile mail benchmark: the real SMTP listener with processing as ``helpdesk serve`` runs it
(in a process of its own, loopback only); ordinary mail alone (the baseline), then ordinary mail
while crafted messages arrive (sent from a third process, as a separate attacker would). Reports
how long ordinary mail waits for its 250 and for its ticket, and for each crafted message its
parse time, peak memory and fate.

    python bench/hostile.py [--quick]

``--quick`` (under a minute) gives the parser a 10 s budget instead of the default 60 s. The last
line printed is one JSON object with every figure."""

from __future__ import annotations

import argparse
import hashlib
import json
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from bench.hostile_mail import CRAFTED  # noqa: E402
from bench.ingest import make_app  # noqa: E402
from bench.memory import peak_rss_mb  # noqa: E402
from mail_ingest.outcomes import ParseOutcome  # noqa: E402
from mail_ingest.parsing import dedup_key  # noqa: E402

TARGET_P95_S, TARGET_SECONDS, TARGET_MB = 1.0, 60.0, 1024.0


class RecordingParser:
    """The pipeline's own parser, remembering each message's outcome for the report."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.seen = inner, {}

    def parse_many(self, items: Sequence[bytes]) -> list[ParseOutcome]:
        outcomes = self.inner.parse_many(items)
        for data, outcome in zip(items, outcomes, strict=True):
            self.seen[hashlib.sha256(data).hexdigest()] = outcome
        return outcomes

    def warm_up(self, count: int = 1) -> None:
        self.inner.warm_up(count)


def start_server(data_dir: Path, budget_s: float) -> tuple[Any, RecordingParser, int, Any]:
    from helpdesk.workers.inbound import InboundProcessing, make_listener
    from mail_ingest.pipeline import IngestContext

    app = make_app(data_dir)
    app.config["PARSE_TIMEOUT_SECONDS"] = budget_s
    context = IngestContext.from_config(app.config)
    parser = RecordingParser(context.parser)
    processing, stop = (
        InboundProcessing(app, context=replace(context, parser=parser)),
        threading.Event(),
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    listener = make_listener(app, processing, "127.0.0.1", port)
    workers = processing.threads(stop)
    listener.start()
    for worker in workers:
        worker.start()

    def shut_down() -> None:
        listener.stop()
        stop.set()
        for worker in workers:
            worker.join()

    return app, parser, port, shut_down


def send(port: int, data: bytes) -> tuple[float, int]:
    """Seconds until the answer to DATA, and its code (250, or what refused it)."""
    started = time.perf_counter()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=120) as client:
            client.sendmail("sender@example.com", ["help@example.org"], data)
        code = 250
    except smtplib.SMTPResponseException as error:
        code = error.smtp_code
    return time.perf_counter() - started, code


def send_ordinary(port: int, messages: list[bytes], interval: float) -> list[tuple[float, int]]:
    answers = []
    for n, data in enumerate(messages):
        answers.append(send(port, data))
        time.sleep(max(0.0, interval - answers[-1][0]) if n < len(messages) - 1 else 0)
    return answers


def raw_rows(app: Any, messages: list[bytes]) -> dict[str, Any]:
    """Per dedup key: (state, error, seconds from storing to processed, recorded as a message)."""
    from sqlalchemy import select

    from helpdesk.core.models import RawMail
    from helpdesk.extensions import db

    keys = [dedup_key(data) for data in messages]
    with app.app_context():
        try:
            raws = db.session.scalars(select(RawMail).where(RawMail.dedup_key.in_(keys))).all()
            return {
                raw.dedup_key: (
                    raw.state,
                    raw.error,
                    (raw.processed_at - raw.received_at).total_seconds()
                    if raw.processed_at
                    else None,
                    raw.message_id is not None,  # recorded as a message
                )
                for raw in raws
            }
        finally:
            db.session.remove()


def wait_processed(app: Any, messages: list[bytes], limit: float) -> dict[str, Any]:
    deadline = time.monotonic() + limit
    while True:
        rows = raw_rows(app, messages)
        done = len(rows) == len(messages) and all(r[0] != "pending" for r in rows.values())
        if done or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else max(values, default=0.0)


def ordinary_figures(answers: list[tuple[float, int]], rows: dict[str, Any], messages: list[bytes]):  # type: ignore[no-untyped-def]
    to_250 = [seconds for seconds, _ in answers]
    processing = [rows[dedup_key(m)][2] or 0.0 for m in messages if dedup_key(m) in rows]
    return {
        "messages": len(messages),
        "answered_250": sum(code == 250 for _, code in answers),
        "to_250_p95_s": round(p95(to_250), 4),
        "to_250_max_s": round(max(to_250), 4),
        "stored_to_ticket_p95_s": round(p95(processing), 3),
        "stored_to_ticket_max_s": round(max(processing, default=0.0), 3),
        "became_tickets": sum(bool(rows.get(dedup_key(m), (0, 0, 0, False))[3]) for m in messages),
    }


def serve_until_stdin_closes(data_dir: Path, budget_s: float) -> None:
    """The server process: print the port, run until stdin closes, leave the parse figures."""
    _, recording, port, shut_down = start_server(data_dir, budget_s)
    print(f"PORT {port}", flush=True)
    sys.stdin.read()
    shut_down()
    parses = {key: [o.seconds, o.peak_mb, o.budget] for key, o in recording.seen.items()}
    figures = {"parses": parses, "server_peak_rss_mb": peak_rss_mb()}
    (data_dir / "server.json").write_text(json.dumps(figures))


def send_crafted(port: int, out: Path) -> None:
    """The attacker process: every crafted message, one after another."""
    answers = {name: send(port, make()) for name, make in CRAFTED.items()}
    out.write_text(json.dumps(answers))


def open_app(data_dir: Path) -> Any:
    from config import Config
    from helpdesk import create_worker_app

    return create_worker_app(
        Config({"HELPDESK_DATA_DIR": str(data_dir), "HELPDESK_SECRET_KEY": "benchmark"})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 s budget, fewer ordinary mails")
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--send-crafted", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve_until_stdin_closes(Path(args.serve[0]), float(args.serve[1]))
    if args.send_crafted:
        return send_crafted(int(args.send_crafted[0]), Path(args.send_crafted[1]))
    budget_s = 10.0 if args.quick else TARGET_SECONDS
    baseline_n, attack_n, interval = (20, 40, 0.2) if args.quick else (100, 300, 0.2)
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        print(json.dumps(run(Path(tmp), budget_s, baseline_n, attack_n, interval)))


def run(tmp: Path, budget_s: float, baseline_n: int, attack_n: int, interval: float) -> dict:
    ordinary = list(generate(baseline_n + attack_n + 1, seed=7))
    command = [sys.executable, __file__]
    server = subprocess.Popen(
        [*command, "--serve", str(tmp), str(budget_s)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(next(line for line in server.stdout if line.startswith("PORT")).split()[1])
        app = open_app(tmp)
        send(port, ordinary[0])  # the server warmed up, as a running one is
        wait_processed(app, ordinary[:1], 60)
        calm = ordinary[1 : baseline_n + 1]
        baseline = ordinary_figures(
            send_ordinary(port, calm, interval), wait_processed(app, calm, 60), calm
        )
        print(f"baseline, ordinary mail alone: {baseline}", flush=True)
        attacker = subprocess.Popen(
            [*command, "--send-crafted", str(port), str(tmp / "crafted.json")]
        )
        busy = ordinary[baseline_n + 1 :]
        busy_answers = send_ordinary(port, busy, interval)
        attacker.wait()
        crafted = {name: make() for name, make in CRAFTED.items()}
        rows = wait_processed(app, busy + list(crafted.values()), budget_s * len(crafted) + 60)
    finally:
        server.stdin.close()
        server.wait()
    attacked = ordinary_figures(busy_answers, rows, busy)
    print(f"ordinary mail while crafted mail arrives: {attacked}", flush=True)
    answers = json.loads((tmp / "crafted.json").read_text())
    server_figures = json.loads((tmp / "server.json").read_text())
    report = [
        crafted_figures(name, data, answers, rows, server_figures["parses"])
        for name, data in crafted.items()
    ]
    for entry in report:
        print(f"  {entry}", flush=True)
    return summary(budget_s, baseline, attacked, report, server_figures["server_peak_rss_mb"])


def crafted_figures(name, data, answers, rows, parses):  # type: ignore[no-untyped-def]
    state, error, processing_s, _ = rows.get(dedup_key(data), ("missing", None, None, False))
    seconds, peak_mb, _ = parses.get(hashlib.sha256(data).hexdigest(), (None, None, None))
    return {
        "name": name,
        "mb": round(len(data) / 2**20, 1),
        "to_250_s": round(answers[name][0], 3),
        "smtp_code": answers[name][1],
        "parse_s": round(seconds, 2) if seconds is not None else None,
        "peak_mb": round(peak_mb) if peak_mb else None,
        "stored_to_done_s": round(processing_s, 2) if processing_s is not None else None,
        "outcome": "ticket" if state == "processed" else state,
        "reason": (error or "")[:100] or None,
    }


def summary(budget_s, baseline, attacked, report, server_peak_mb):  # type: ignore[no-untyped-def]
    worst_s = max((r["parse_s"] or 0) for r in report)
    worst_mb = max((r["peak_mb"] or 0) for r in report)
    return {
        "parse_budget_s": budget_s,
        "baseline": baseline,
        "under_attack": attacked,
        "crafted": report,
        "crafted_max_parse_s": worst_s,
        "crafted_max_peak_mb": worst_mb,
        "targets_met": attacked["to_250_p95_s"] < TARGET_P95_S
        and attacked["became_tickets"] == attacked["messages"]
        and worst_s <= TARGET_SECONDS + 1
        and worst_mb <= TARGET_MB
        and all(r["outcome"] != "pending" for r in report),
        "server_peak_rss_mb": round(server_peak_mb),
    }


if __name__ == "__main__":
    main()
