"""Load benchmark: liaisons browsing and replying while mail arrives, on the production set-up.

    python bench/load.py [--quick] [--database postgresql://…] [--users N] [--seconds S]

Run 1: gunicorn with four workers, ``helpdesk smtp-server --store-only``, ``helpdesk worker
outbox`` and two ``helpdesk worker ingest`` as separate processes on PostgreSQL, the workers at
nice 10 (``LOAD_WORKER_NICE``) so pages go first. Run 2, the baseline: one
``helpdesk serve`` on SQLite. In each, N simulated liaisons (threads with their own cookies)
sign in with the real form, then open their queue, open a ticket from it and reply to one in
four, with a short think time, while mail arrives by SMTP at a steady rate. Everything talks to
127.0.0.1 only, and every loop stops at its deadline. Reports page latency, errors (5xx, refused
connections; a 409 for a reply overtaken by another liaison's is a conflict, counted apart),
how fast arriving mail became tickets, how long replies waited in the outbox, and how many
cores each part kept busy (web, ingest, PostgreSQL, this client, the whole machine).
The last line printed is one JSON object with every figure."""

from __future__ import annotations

import argparse
import http.cookiejar
import itertools
import json
import os
import random
import re
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402
from bench.cpu import cores_used, cpu_snapshot  # noqa: E402

LANGUAGES = ["ar", "fr", "de", "hi", "ja", "zh", "ru", "es", "pt", "en"]
PASSWORD = "load-benchmark-password"
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/helpdesk_load"
TARGET_PAGE_P95_MS = 250
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
SEEN = re.compile(r'name="seen_message_id" type="hidden" value="(\d+)"')
TICKET_LINK = re.compile(r'href="/tickets/(\d+)"')


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listening on {port}")


def fresh_postgres(url: str) -> None:
    """Create the benchmark's database if needed and empty it: never point this at real data."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def environment(data_dir: Path, database: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "HELPDESK_DATA_DIR": str(data_dir),
        "HELPDESK_SECRET_KEY": "load-benchmark",
        "HELPDESK_INBOUND_DOMAINS": "example.org",
        "HELPDESK_OUTBOX_POLL_SECONDS": "0.5",
        "HELPDESK_AUTO_ACK_MAX_PER_SENDER": "0",
    }
    env.pop("HELPDESK_DATABASE_URL", None)
    if database:
        env["HELPDESK_DATABASE_URL"] = database
    return env


REPLY_NUMBERS = itertools.count(1)
ERROR_TEXT = re.compile(
    r'class="(?:error|flash flash-error)"[^>]*>([^<]{1,200})<|<p>([^<]{1,200})</p>'
)


def _reason(page: str) -> str:
    """What the page said was wrong (a field's error, a flash, an error page's text)."""
    match = ERROR_TEXT.search(page)
    return f": {(match.group(1) or match.group(2)).strip()}" if match else ""


def seed(env: dict[str, str], users: int, tickets: int) -> list[str]:
    """The schema, the liaisons (spread over the languages) and some mail already in."""
    code = f"""
import mailbox, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from bench.corpus import generate
from helpdesk import create_worker_app
from helpdesk.core.models import Role
from helpdesk.core.services.users import NewUser, create_user
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.database import prepare_database
from helpdesk.extensions import db
from helpdesk.mail_import import import_mail
app = create_worker_app()
with app.app_context():
    prepare_database()
    with unit_of_work(db.session):
        for n in range({users}):
            language = {LANGUAGES!r}[n % 10]
            create_user(db.session, NewUser(f"liaison{{n}}@load.example", f"Liaison {{n}}",
                        {PASSWORD!r}, Role.LIAISON, (language,)))
    box_path = Path({env["HELPDESK_DATA_DIR"]!r}) / "seed.mbox"
    box = mailbox.mbox(box_path)
    for data in generate({tickets}, 3):
        box.add(data)
    box.close()
    import_mail(app, [box_path])
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    return [f"liaison{n}@load.example" for n in range(users)]


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    conflicts: int = 0
    replies: int = 0
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, started: float, status: int | None, problem: str = "") -> None:
        with self.lock:
            if status is not None and status < 500:
                self.latencies_ms.append((time.perf_counter() - started) * 1000)
            if status == 409:
                self.conflicts += 1
            elif status is None or status >= 400:
                self.errors += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(problem or f"HTTP {status}")


class Liaison:
    """One browser: its own cookies, the real sign-in form, then queue, ticket, reply."""

    def __init__(self, base: str, email: str, tally: Tally, rng: random.Random) -> None:
        self.base, self.email, self.tally, self.rng = base, email, tally, rng
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def request(self, path: str, form: dict[str, str] | None = None) -> str | None:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                body = response.read().decode("utf-8", "replace")
                self.tally.record(started, response.status)
                return body
        except urllib.error.HTTPError as error:
            reason = _reason(error.read().decode("utf-8", "replace"))
            self.tally.record(started, error.code, f"HTTP {error.code} on {path}{reason}")
        except OSError as error:
            self.tally.record(started, None, f"{type(error).__name__} on {path}: {error}")
        return None

    def sign_in(self) -> bool:
        page = self.request("/auth/login")
        token = _csrf(page)
        form = {"csrf_token": token, "email": self.email, "password": PASSWORD}
        return self.request("/auth/login", form) is not None

    def work(self, deadline: float) -> None:
        if not self.sign_in():
            return
        while time.monotonic() < deadline:
            queue = self.request(self.rng.choice(["/queue/languages", "/queue/mine"]))
            ids = TICKET_LINK.findall(queue or "")
            if ids:
                ticket_id = self.rng.choice(ids)
                page = self.request(f"/tickets/{ticket_id}")
                if page and self.rng.random() < 0.25:
                    self.reply(ticket_id, page)
            time.sleep(self.rng.uniform(0.2, 1.0))

    def reply(self, ticket_id: str, page: str) -> None:
        seen = SEEN.search(page)
        form = {
            "csrf_token": _csrf(page),
            # Each reply its own words: the helpdesk refuses the same text sent twice in a row
            # to one ticket as a double submission (a 400 with a message, not a failure).
            "body": f"Thank you for writing; we are looking into it ({next(REPLY_NUMBERS)}).",
            "seen_message_id": seen.group(1) if seen else "",
            "send_open": "Send, keep open",
        }
        if self.request(f"/tickets/{ticket_id}/reply", form) is not None:
            with self.tally.lock:
                self.tally.replies += 1


def _csrf(page: str | None) -> str:
    match = CSRF.search(page or "")
    return (match.group(1) or match.group(2)) if match else ""


def send_mail(port: int, rate: float, deadline: float, sent: list[float]) -> None:
    """A steady stream of realistic mail; each send timed (the 250 comes after the store)."""
    messages = generate(int(rate * (deadline - time.monotonic())) + 10, seed=99)
    interval = 1.0 / rate
    next_at = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        for data in messages:
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            client.sendmail("someone@example.net", ["help@example.org"], data)
            sent.append(time.perf_counter() - started)
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def after_run(env: dict[str, str], started_at: float, seconds: float) -> dict[str, float]:
    """From the database: mail processed during the run, and each reply's wait in the outbox."""
    code = f"""
import json, time
from datetime import datetime, UTC
from sqlalchemy import select
from helpdesk import create_worker_app
from helpdesk.core.models import OutboxMail as Out, RawMail as Raw, RawMailState as State
from helpdesk.extensions import db
app = create_worker_app()
start = datetime.fromtimestamp({started_at}, UTC)
with app.app_context():
    for _ in range(60):  # let the workers finish what arrived in the last seconds
        busy = db.session.scalar(select(Raw.id).where(Raw.state == State.PENDING).limit(1))
        busy = busy or db.session.scalar(select(Out.id).where(Out.state == "queued").limit(1))
        if busy is None:
            break
        db.session.rollback()
        time.sleep(0.5)
    done = select(Raw.id).where(Raw.received_at >= start, Raw.state == State.PROCESSED)
    processed = len(db.session.scalars(done).all())
    sent = select(Out.created_at, Out.sent_at).where(Out.created_at >= start)
    waits = [(b - a).total_seconds() for a, b in db.session.execute(sent) if b is not None]
print(json.dumps({{"processed": processed, "waits": waits}}))
"""
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout
    found = json.loads(output.strip().splitlines()[-1])
    waits = found["waits"]
    return {
        "ingested_per_s": round(found["processed"] / seconds, 2),
        "outbox_delay_p50_s": round(percentile(waits, 0.5), 3),
        "outbox_delay_p95_s": round(percentile(waits, 0.95), 3),
        "outbox_sent": len(waits),
    }


def run(kind: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    data_dir = work / kind
    database = args.database if kind == "production" else None
    if database:
        fresh_postgres(database)
    env = environment(data_dir, database)
    emails = seed(env, args.users, args.seed_tickets)
    web_port, smtp_port = free_port(), free_port()
    cli = [sys.executable, "-m", "helpdesk.cli"]
    if kind == "production":
        env_web = {**env, "HELPDESK_BIND": f"127.0.0.1:{web_port}", "HELPDESK_WEB_WORKERS": "4"}
        env_web["PROMETHEUS_MULTIPROC_DIR"] = str(work / "prometheus")
        env_workers = {**env, "HELPDESK_WORKER_NICE": os.environ.get("LOAD_WORKER_NICE", "10")}
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        config = ["--config", "python:helpdesk.gunicorn_config", "helpdesk.wsgi:app"]
        processes = [
            start([gunicorn, *config], env_web, work / "gunicorn.log"),
            start(
                [*cli, "smtp-server", "--store-only", "--port", str(smtp_port)],
                env,
                work / "smtp.log",
            ),
            start([*cli, "worker", "outbox"], env_workers, work / "outbox.log"),
            start([*cli, "worker", "ingest"], env_workers, work / "ingest.log"),
            start([*cli, "worker", "ingest"], env_workers, work / "ingest2.log"),
        ]
        roles = ["web", "smtp", "outbox", "ingest", "ingest"]
    else:
        serve = [*cli, "serve", "--port", str(web_port), "--smtp-port", str(smtp_port)]
        processes = [start(serve, env, work / "serve.log")]
        roles = ["serve"]
    roots: dict[str, list[int]] = {}
    for role, process in zip(roles, processes, strict=True):
        roots.setdefault(role, []).append(process.pid)
    try:
        wait_for_port(web_port)
        wait_for_port(smtp_port)
        return drive(args, emails, web_port, smtp_port, env, roots)
    finally:
        stop(processes)


def drive(
    args: argparse.Namespace,
    emails: list[str],
    web_port: int,
    smtp_port: int,
    env: dict[str, str],
    roots: dict[str, list[int]],
) -> dict[str, Any]:
    tally, smtp_times = Tally(), []
    database = env.get("HELPDESK_DATABASE_URL", "").rpartition("/")[2]
    cpu_before = cpu_snapshot(roots, database)
    started_at = time.time()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=Liaison(f"http://127.0.0.1:{web_port}", email, tally, random.Random(n)).work,
            args=(deadline,),
        )
        for n, email in enumerate(emails)
    ]
    threads.append(
        threading.Thread(target=send_mail, args=(smtp_port, args.rate, deadline, smtp_times))
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    elapsed = time.time() - started_at
    cpu = cores_used(cpu_before, cpu_snapshot(roots, database), elapsed)
    figures = {
        "pages": len(tally.latencies_ms),
        "page_p50_ms": round(percentile(tally.latencies_ms, 0.5), 1),
        "page_p95_ms": round(percentile(tally.latencies_ms, 0.95), 1),
        "errors": tally.errors,
        "conflicts": tally.conflicts,
        "replies": tally.replies,
        "mail_sent": len(smtp_times),
        "smtp_250_p95_s": round(percentile(smtp_times, 0.95), 3),
        "error_samples": tally.error_samples,
        "cores_used": cpu,
    }
    figures.update(after_run(env, started_at, args.seconds))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer liaisons, 20 s per run")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL, emptied first")
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--rate", type=float, default=20.0, help="inbound mail per second")
    args = parser.parse_args()
    args.users = args.users or (20 if args.quick else 50)
    args.seconds = args.seconds or (15.0 if args.quick else 120.0)
    args.seed_tickets = 200 if args.quick else 1000
    with tempfile.TemporaryDirectory() as tmp:
        production = run("production", args, Path(tmp))
        print(f"gunicorn x4 + workers on PostgreSQL: {production}", flush=True)
        serve = run("serve", args, Path(tmp))
        print(f"helpdesk serve on SQLite: {serve}", flush=True)
    result = {
        "users": args.users,
        "seconds": args.seconds,
        "mail_rate_per_s": args.rate,
        **{k: v for k, v in production.items() if k != "error_samples"},
        "machine_cores": os.cpu_count(),
        "serve_page_p50_ms": serve["page_p50_ms"],
        "serve_page_p95_ms": serve["page_p95_ms"],
        "serve_errors": serve["errors"],
        "serve_ingested_per_s": serve["ingested_per_s"],
        "serve_outbox_delay_p95_s": serve["outbox_delay_p95_s"],
        "page_p95_ratio_to_serve": round(
            production["page_p95_ms"] / max(serve["page_p95_ms"], 0.1), 2
        ),
        "target_page_p95_ms": TARGET_PAGE_P95_MS,
        "target_met": production["errors"] == 0 and production["page_p95_ms"] < TARGET_PAGE_P95_MS,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
