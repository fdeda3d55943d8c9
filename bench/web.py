"""Web benchmark: the queue and ticket pages through the WSGI app on a large SQLite helpdesk.

    python bench/web.py [--quick] [--tickets N]

Seeds 100,000 tickets with 300,000 messages (``--quick``: 10,000 and 30,000) with SQLAlchemy
Core bulk inserts, then requests pages with Flask's test client, signed in as a French liaison
and as a coordinator: median and p95 latency and queries per page. Baselines measured in the
same run: the same pages on a 1,000-ticket helpdesk, and a bare SELECT of a page's rows.
The last line printed is one JSON object with every figure."""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LANGUAGES = ["ar", "fr", "de", "hi", "ja", "zh", "ru", "es", "pt", "en"]
WEIGHTS = [6, 14, 10, 5, 5, 6, 6, 20, 8, 20]  # a realistic skew: English and Spanish lead
PASSWORD = "benchmark-password"
TAGS = [f"tag-{n}" for n in range(30)] + ["visa", "press", "refund", "volunteer", "urgent"]
QUEUE_TARGET_P95_MS = 100
TICKET_TARGET_P95_MS = 80
CHUNK = 5000
DEMO = json.loads((ROOT / "helpdesk" / "demo" / "demo_data.json").read_text("utf-8"))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def make_app(data_dir: Path):  # type: ignore[no-untyped-def]
    from config import Config
    from helpdesk import create_app
    from helpdesk.database import prepare_database

    app = create_app(Config({"HELPDESK_DATA_DIR": str(data_dir), "HELPDESK_SECRET_KEY": "bench"}))
    with app.app_context():
        prepare_database()  # the real migrations, so the benchmark measures their indexes
    return app


def seed_staff() -> dict[str, Any]:
    """Two liaisons per language, a coordinator, and the demo's reply templates."""
    from helpdesk.core.models import Role
    from helpdesk.core.services.reply_templates import save_template
    from helpdesk.core.services.users import NewUser, create_user
    from helpdesk.core.unit_of_work import unit_of_work
    from helpdesk.extensions import db

    staff: dict[str, Any] = {"liaisons": {}}
    with unit_of_work(db.session):
        for code in LANGUAGES:
            staff["liaisons"][code] = [
                create_user(
                    db.session,
                    NewUser(
                        f"{code}{n}@liaisons.example", f"{code} {n}", PASSWORD, languages=(code,)
                    ),
                ).id
                for n in (1, 2)
            ]
        staff["coordinator"] = create_user(
            db.session,
            NewUser("coordinator@example.org", "Coordinator", PASSWORD, Role.COORDINATOR, ()),
        ).id
        for template in DEMO["templates"]:
            variants = {c: (v["name"], v["body"]) for c, v in template["variants"].items()}
            save_template(db.session, template["key"], template["name_en"], variants)
    return staff


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def seed_tickets(count: int, staff: dict[str, Any], seed: int = 7) -> None:
    """``count`` tickets, three messages and three events each, a fifth of them tagged: Core
    bulk inserts in one transaction. Most tickets are long resolved; a quarter are open."""
    from helpdesk.core.models import Contact, Message, Tag, Ticket, TicketEvent, ticket_tags
    from helpdesk.extensions import db

    rng = random.Random(seed)
    now = datetime.now(UTC)
    samples = {code: [t for t in DEMO["tickets"] if t["language"] == code] for code in LANGUAGES}
    contacts = max(10, count // 3)
    tickets: list[dict[str, Any]] = []
    for ticket_id in range(1, count + 1):
        code = rng.choices(LANGUAGES, WEIGHTS)[0]
        roll = rng.random()
        status = "resolved" if roll < 0.6 else "closed" if roll < 0.75 else "new"
        if status == "new":
            status = rng.choice(["new", "open", "open", "pending"])
        recent = status not in ("resolved", "closed")
        created = now - timedelta(minutes=rng.randint(5, 60 * 24 * (20 if recent else 365)))
        last_in = created + (now - created) * rng.random() * 0.8
        answered = status != "new" or rng.random() < 0.1
        tickets.append(
            {
                "id": ticket_id,
                "subject": rng.choice(samples[code])["subject"],
                "status": status,
                "language_code": code,
                "requester_id": rng.randint(1, contacts),
                "assignee_id": rng.choice(staff["liaisons"][code]) if rng.random() < 0.85 else None,
                "created_at": created,
                "updated_at": last_in,
                "last_requester_message_at": last_in,
                "first_response_at": created + (last_in - created) / 2 if answered else None,
                "resolved_at": last_in if not recent else None,
                "routing_rule": "detected",
            }
        )

    def contact_rows() -> Iterator[dict[str, Any]]:
        for n in range(1, contacts + 1):
            yield {"id": n, "email": f"requester{n}@example.com", "name": f"Requester {n}"}

    def message_rows() -> Iterator[dict[str, Any]]:
        for t in tickets:
            sample = samples[t["language_code"]][t["id"] % len(samples[t["language_code"]])]
            for n, direction in enumerate(("in", "out", "in")):
                yield {
                    "ticket_id": t["id"],
                    "direction": direction,
                    "message_id": f"<{t['id']}.{n}@bench.example>",
                    "from_email": f"requester{t['requester_id']}@example.com",
                    "subject": t["subject"],
                    "text": sample["body"],
                    "language_code": t["language_code"],
                    "created_at": t["created_at"]
                    + (t["last_requester_message_at"] - t["created_at"]) * n / 2,
                }

    def event_rows() -> Iterator[dict[str, Any]]:
        for t in tickets:
            for kind, data in (
                ("created", {"source": "mail"}),
                (
                    "routed",
                    {
                        "rule": "detected",
                        "language": t["language_code"],
                        "assignee_id": t["assignee_id"],
                    },
                ),
                ("status_changed", {"status": t["status"], "previous": "new"}),
            ):
                yield {
                    "ticket_id": t["id"],
                    "kind": kind,
                    "data": data,
                    "created_at": t["created_at"],
                }

    def ticket_tag_rows() -> Iterator[dict[str, Any]]:
        for t in tickets:
            if rng.random() < 0.2:
                for tag_id in rng.sample(range(1, len(TAGS) + 1), rng.choice((1, 1, 2))):
                    yield {"ticket_id": t["id"], "tag_id": tag_id}

    with db.engine.begin() as connection:
        for table, rows in (
            (Contact.__table__, contact_rows()),
            (Tag.__table__, ({"id": n, "name": name} for n, name in enumerate(TAGS, 1))),
            (Ticket.__table__, iter(tickets)),
            (Message.__table__, message_rows()),
            (TicketEvent.__table__, event_rows()),
            (ticket_tags, ticket_tag_rows()),
        ):
            for batch in _chunks(rows):
                connection.execute(table.insert(), batch)
        connection.exec_driver_sql("ANALYZE")


def signed_in_client(app, email: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


class QueryCounter:
    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._hit)

    def _hit(self, *args: object) -> None:
        self.count += 1


def measure(client, url: str, rounds: int, counter: QueryCounter) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Per-request latency (after two warm-up requests) and queries per request."""
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    times, queries = [], []
    for _ in range(rounds):
        before = counter.count
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        queries.append(counter.count - before)
        assert response.status_code == 200, url
    return {"times": times, "queries": max(queries)}  # type: ignore[dict-item]


QUEUE_PAGES = [
    ("liaison", "/queue/languages"),
    ("liaison", "/queue/mine"),
    ("coordinator", "/queue/all"),
    ("coordinator", "/queue/all?language=de&needs_first_response=y"),
    ("coordinator", "/queue/all?tag=visa&sort=newest"),
    ("coordinator", "/queue/all?status=resolved&language=es&sort=latest_message&page=3"),
    ("coordinator", "/queue/waiting?assignee=nobody&age=3d"),
]


def run_pages(app, ticket_count: int, rounds: int, seed: int = 11) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from helpdesk.extensions import db

    with app.app_context():
        engine = db.engine
    # Requests run outside any app context of ours: each gets a fresh one, as in production.
    counter = QueryCounter(engine)
    clients = {
        "liaison": signed_in_client(app, "fr1@liaisons.example"),
        "coordinator": signed_in_client(app, "coordinator@example.org"),
    }
    queue: dict[str, Any] = {}
    for who, url in QUEUE_PAGES:
        queue[f"{who} {url}"] = measure(clients[who], url, rounds, counter)
    rng = random.Random(seed)
    ticket_times: list[float] = []
    ticket_queries = 0
    for ticket_id in rng.sample(range(1, ticket_count + 1), min(ticket_count, rounds * 2)):
        result = measure(clients["coordinator"], f"/tickets/{ticket_id}", 1, counter)
        ticket_times += result["times"]
        ticket_queries = max(ticket_queries, int(result["queries"]))
    queue_times = [t for page in queue.values() for t in page["times"]]
    return {
        "queue_times": queue_times,
        "ticket_times": ticket_times,
        "queries_per_queue_page": max(int(page["queries"]) for page in queue.values()),
        "queries_per_ticket_page": ticket_queries,
        "per_page": {
            name: {
                "p50_ms": round(statistics.median(page["times"]), 2),
                "p95_ms": round(percentile(page["times"], 0.95), 2),
                "queries": page["queries"],
            }
            for name, page in queue.items()
        },
    }


def bare_select_ms(app, rounds: int) -> float:  # type: ignore[no-untyped-def]
    """The least a queue page must cost: one SELECT of its 50 rows, no ORM, no template."""
    from helpdesk.extensions import db

    sql = (
        "SELECT * FROM tickets WHERE status IN ('new', 'open', 'pending') "
        "ORDER BY last_requester_message_at, id LIMIT 50"
    )
    times = []
    with app.app_context(), db.engine.connect() as connection:
        for _ in range(rounds + 2):
            started = time.perf_counter()
            connection.exec_driver_sql(sql).fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[2:])


def build(data_dir: Path, tickets: int) -> tuple[Any, float]:
    app = make_app(data_dir)
    started = time.perf_counter()
    with app.app_context():
        seed_tickets(tickets, seed_staff())
    return app, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 tickets: under a minute")
    parser.add_argument("--tickets", type=int, help="tickets to seed (3 messages each)")
    parser.add_argument("--rounds", type=int, help="requests per queue page")
    args = parser.parse_args()
    tickets = args.tickets or (10_000 if args.quick else 100_000)
    rounds = args.rounds or (15 if args.quick else 40)
    baseline_tickets = 1_000

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp_name:
        tmp = Path(tmp_name)
        small_app, _ = build(tmp / "small", baseline_tickets)
        small = run_pages(small_app, baseline_tickets, rounds)
        app, seed_seconds = build(tmp / "large", tickets)
        print(f"seeded {tickets:,} tickets ({tickets * 3:,} messages) in {seed_seconds:.1f} s")
        large = run_pages(app, tickets, rounds)
        bare = bare_select_ms(app, rounds)

    figures: dict[str, Any] = {
        "tickets": tickets,
        "messages": tickets * 3,
        "quick": args.quick,
        "seed_s": round(seed_seconds, 1),
        "rounds_per_page": rounds,
        "queue_p50_ms": round(statistics.median(large["queue_times"]), 2),
        "queue_p95_ms": round(percentile(large["queue_times"], 0.95), 2),
        "ticket_p50_ms": round(statistics.median(large["ticket_times"]), 2),
        "ticket_p95_ms": round(percentile(large["ticket_times"], 0.95), 2),
        "queries_per_queue_page": large["queries_per_queue_page"],
        "queries_per_ticket_page": large["queries_per_ticket_page"],
        "baseline_tickets": baseline_tickets,
        "baseline_queue_p50_ms": round(statistics.median(small["queue_times"]), 2),
        "baseline_queue_p95_ms": round(percentile(small["queue_times"], 0.95), 2),
        "baseline_ticket_p50_ms": round(statistics.median(small["ticket_times"]), 2),
        "baseline_ticket_p95_ms": round(percentile(small["ticket_times"], 0.95), 2),
        "bare_select_p50_ms": round(bare, 3),
    }
    figures["queue_p50_ratio_to_baseline"] = round(
        figures["queue_p50_ms"] / figures["baseline_queue_p50_ms"], 2
    )
    figures["ticket_p50_ratio_to_baseline"] = round(
        figures["ticket_p50_ms"] / figures["baseline_ticket_p50_ms"], 2
    )
    figures["queue_p50_ratio_to_bare_select"] = round(figures["queue_p50_ms"] / bare, 1)
    figures["queue_target_met"] = figures["queue_p95_ms"] < QUEUE_TARGET_P95_MS
    figures["ticket_target_met"] = figures["ticket_p95_ms"] < TICKET_TARGET_P95_MS
    figures["queue_pages"] = large["per_page"]
    for name, page in large["per_page"].items():
        print(
            f"{name:75} p50 {page['p50_ms']:7.2f} ms  p95 {page['p95_ms']:7.2f} ms  "
            f"{page['queries']} queries"
        )
    print(
        f"queue p95 {figures['queue_p95_ms']} ms (target < {QUEUE_TARGET_P95_MS}), "
        f"ticket p95 {figures['ticket_p95_ms']} ms (target < {TICKET_TARGET_P95_MS}); "
        f"{figures['queue_p50_ratio_to_baseline']}x the {baseline_tickets:,}-ticket queue"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
