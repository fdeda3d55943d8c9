"""Ingest benchmark: end-to-end import throughput against bare stdlib parsing of the same mail,
peak memory on a large mbox, and the delay from SMTP acceptance to the ticket being queued.

    python bench/ingest.py [--quick]

The last line printed is one JSON object with every figure."""

from __future__ import annotations

import argparse
import json
import mailbox
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.baseline import bare_parse_and_extract  # noqa: E402
from bench.corpus import generate  # noqa: E402
from bench.memory import peak_rss_mb  # noqa: E402
from mail_ingest.parsing import dedup_key  # noqa: E402

LANGUAGES = ["ar", "fr", "de", "hi", "ja", "zh", "ru", "es", "pt", "en"]
TARGET_RATIO = 0.12


def write_mbox(path: Path, count: int, seed: int = 1) -> None:
    box = mailbox.mbox(path)
    box.lock()
    for data in generate(count, seed):
        box.add(data)
    box.flush()
    box.unlock()
    box.close()


def make_app(data_dir: Path):  # type: ignore[no-untyped-def]
    """A fresh helpdesk with a liaison and a mailbox per language, so routing really assigns."""
    from config import Config
    from helpdesk import create_worker_app
    from helpdesk.core.models import Mailbox, Role
    from helpdesk.core.services.users import NewUser, create_user
    from helpdesk.core.unit_of_work import unit_of_work
    from helpdesk.database import prepare_database
    from helpdesk.extensions import db

    app = create_worker_app(
        Config({"HELPDESK_DATA_DIR": str(data_dir), "HELPDESK_SECRET_KEY": "benchmark"})
    )
    with app.app_context():
        prepare_database()
        with unit_of_work(db.session):
            for code in LANGUAGES:
                create_user(
                    db.session,
                    NewUser(f"{code}@liaisons.example", code, "x" * 12, Role.LIAISON, (code,)),
                )
                db.session.add(Mailbox(address=f"{code}@example.org", default_language_code=code))
            db.session.add(Mailbox(address="help@example.org"))
    return app


def bare_parse_rate(messages: list[bytes], rounds: int = 3) -> float:
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for data in messages:
            bare_parse_and_extract(data)
        rates.append(len(messages) / (time.perf_counter() - started))
    return statistics.median(rates)


def import_rate(mbox: Path, data_dir: Path) -> tuple[float, dict[str, object]]:
    from helpdesk.mail_import import import_mail

    app = make_app(data_dir)
    with app.app_context():
        from helpdesk.core.services.language_detection import get_detector

        get_detector(app.config["LANGUAGES"]).detect("warm up")  # loaded once per process
        started = time.perf_counter()
        summary = import_mail(app, [mbox])
        elapsed = time.perf_counter() - started
    counts = summary.as_dict()
    return int(counts["messages"]) / elapsed, counts  # type: ignore[call-overload]


def peak_rss_of_import(mbox: Path, data_dir: Path) -> float:
    """Import in a fresh process and report its peak resident memory."""
    output = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(mbox), str(data_dir)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(output.strip().splitlines()[-1])


def rss_child(mbox: Path, data_dir: Path) -> None:
    from helpdesk.mail_import import import_mail

    app = make_app(data_dir)
    with app.app_context():
        import_mail(app, [mbox])
    print(peak_rss_mb())


def smtp_to_queue_delays(data_dir: Path, count: int) -> list[float]:
    """Send mail to the inbound listener; time until the ticket shows in the queue query."""
    from helpdesk.core.models import Role
    from helpdesk.core.services.users import NewUser, create_user
    from helpdesk.core.unit_of_work import unit_of_work
    from helpdesk.extensions import db
    from helpdesk.workers.inbound import InboundProcessing, make_listener

    app = make_app(data_dir)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # as `helpdesk serve` runs it: 250 once stored, processing threads after
    processing, stop = InboundProcessing(app), threading.Event()
    controller = make_listener(app, processing, "127.0.0.1", port)
    workers = processing.threads(stop)
    controller.start()
    for worker in workers:
        worker.start()
    delays = []
    try:
        with app.app_context():
            with unit_of_work(db.session):
                coordinator = create_user(
                    db.session,
                    NewUser(
                        "coordinator@example.org", "Coordinator", "x" * 12, Role.COORDINATOR, ()
                    ),
                )
            for data in generate(count, seed=99):
                message_id = dedup_key(data).partition(" ")[0]  # the Message-ID part
                started = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                    client.sendmail("sender@example.com", ["help@example.org"], data)
                while not _visible_in_queue(db.session, coordinator, message_id):
                    if time.perf_counter() - started > 30:
                        raise RuntimeError(f"{message_id} never reached the queue")
                    time.sleep(0.005)
                delays.append(time.perf_counter() - started)
    finally:
        controller.stop()
        stop.set()
        for worker in workers:
            worker.join()
    return delays


def _visible_in_queue(session, user, message_id: str) -> bool:  # type: ignore[no-untyped-def]
    """The message is stored, on a ticket, and that ticket is on the coordinator's queue."""
    from sqlalchemy import select

    from helpdesk.core.models import Message, Ticket
    from helpdesk.core.services.queues import QueueView, queue_query

    session.expire_all()
    ticket_id = session.scalar(select(Message.ticket_id).where(Message.message_id == message_id))
    if ticket_id is None:
        return False
    query = queue_query(user, QueueView.ALL).where(Ticket.id == ticket_id)
    return session.scalar(query) is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: under a minute")
    parser.add_argument("--messages", type=int, help="messages for the throughput run")
    parser.add_argument("--rss-messages", type=int, help="messages in the memory run's mbox")
    parser.add_argument("--smtp-messages", type=int, help="messages for the latency run")
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(Path(args.rss_child[0]), Path(args.rss_child[1]))
        return
    messages_n = args.messages or (1500 if args.quick else 10_000)
    rss_n = args.rss_messages or (3000 if args.quick else 100_000)
    smtp_n = args.smtp_messages or (40 if args.quick else 200)

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp_name:
        tmp = Path(tmp_name)
        messages = list(generate(messages_n))
        bare = bare_parse_rate(messages)
        print(f"bare compat32 parse + extract: {bare:,.0f} msg/s over {messages_n} messages")
        write_mbox(tmp / "throughput.mbox", messages_n)
        e2e, counts = import_rate(tmp / "throughput.mbox", tmp / "throughput")
        print(
            f"end-to-end import (store, parse, detect, route, record): {e2e:,.0f} msg/s "
            f"= {e2e / bare:.3f} of bare parsing (target {TARGET_RATIO}); "
            f"{counts['tickets_created']} tickets, {counts['threaded']} threaded, "
            f"{counts['failed']} failed"
        )
        write_mbox(tmp / "memory.mbox", rss_n, seed=2)
        rss = peak_rss_of_import(tmp / "memory.mbox", tmp / "memory")
        print(f"peak RSS importing {rss_n:,} messages: {rss:,.0f} MB (target < 300 MB at 100,000)")
        delays = smtp_to_queue_delays(tmp / "latency", smtp_n)
        p95 = statistics.quantiles(delays, n=20)[-1]
        print(
            f"SMTP acceptance to queue, {smtp_n} messages: median {statistics.median(delays):.3f}"
            f" s, p95 {p95:.3f} s (target < 1 s)"
        )
    print(
        json.dumps(
            {
                "e2e_msgs_per_s": round(e2e, 1),
                "bare_parse_msgs_per_s": round(bare, 1),
                "ratio": round(e2e / bare, 4),
                "peak_rss_mb": round(rss, 1),
                "smtp_to_queue_p95_s": round(p95, 4),
                "messages": messages_n,
                "rss_messages": rss_n,
                "smtp_messages": smtp_n,
                "target_ratio": TARGET_RATIO,
            }
        )
    )


if __name__ == "__main__":
    main()
