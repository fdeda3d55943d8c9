"""Search benchmark: the database design beside a Whoosh-native index and a LIKE scan.

    python bench/search.py [--quick] [--tickets N] [--database URL] [--whoosh-messages N]

Seeds N tickets (default 100,000; --quick 3,000) with three messages each of Zipf text in ten
languages (bench/search_corpus.py), then measures in one run: reindex throughput (``helpdesk
reindex``'s path, one transaction per 1,000 messages) and index size; p50/p95 of 500 mixed
queries (a common word, a rare word, two words, a phrase; a third with a language filter, a
fifth with a date filter) through ``search_tickets`` with snippets for the top 20, in a child
process whose peak RSS is the searching process's; the same queries on a Whoosh-native index
of the same corpus and analysers (top 20, highlighted the same way); the same queries as
``LIKE '%word%'`` ordered by date. The last line is one JSON object with every figure."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_corpus import text, vocabulary, words  # noqa: E402
from bench.web import LANGUAGES, WEIGHTS, percentile  # noqa: E402

CHUNK = 5000
QUERIES = 500


def make_app(data_dir: Path, database: str | None):  # type: ignore[no-untyped-def]
    from config import Config
    from helpdesk import create_app
    from helpdesk.database import prepare_database

    environ = {"HELPDESK_DATA_DIR": str(data_dir), "HELPDESK_SECRET_KEY": "bench"}
    if database:
        environ["HELPDESK_DATABASE_URL"] = database
    app = create_app(Config(environ))
    with app.app_context():
        prepare_database()
    return app


def reset_postgres(database: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def seed(count: int, seed_value: int = 5) -> None:
    """Tickets, contacts and three messages per ticket (one reply quoting the first), with Core
    bulk inserts: the messages have no postings until the reindex."""
    from helpdesk.core.models import Contact, Message, Role, Ticket
    from helpdesk.core.services.users import NewUser, create_user
    from helpdesk.core.unit_of_work import unit_of_work
    from helpdesk.extensions import db

    with unit_of_work(db.session):
        create_user(db.session, NewUser("c@example.org", "C", "x" * 12, Role.COORDINATOR, ()))
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    contacts = max(10, count // 3)
    with db.engine.begin() as connection:
        for start in range(0, contacts, CHUNK):
            connection.execute(
                Contact.__table__.insert(),
                [
                    {"id": n, "email": f"requester{n}@example.com", "name": f"Requester {n}"}
                    for n in range(start + 1, min(contacts, start + CHUNK) + 1)
                ],
            )
        for start in range(0, count, CHUNK // 3):
            tickets, messages = [], []
            for ticket_id in range(start + 1, min(count, start + CHUNK // 3) + 1):
                code = rng.choices(LANGUAGES, WEIGHTS)[0]
                created = now - timedelta(minutes=rng.randint(5, 60 * 24 * 730))
                subject = text(rng, code, rng.randint(3, 7)).rstrip(".")
                tickets.append(
                    {
                        "id": ticket_id,
                        "subject": subject[:900],
                        "status": rng.choice(["new", "open", "pending", "resolved", "closed"]),
                        "language_code": code,
                        "requester_id": rng.randint(1, contacts),
                        "created_at": created,
                        "updated_at": created,
                        "last_requester_message_at": created,
                    }
                )
                first = text(rng, code, rng.randint(40, 160))
                for n, direction in enumerate(("in", "out", "in")):
                    messages.append(
                        {
                            "ticket_id": ticket_id,
                            "direction": direction,
                            "from_email": f"requester{tickets[-1]['requester_id']}@example.com",
                            "subject": subject[:900],
                            "text": first if n == 0 else text(rng, code, rng.randint(20, 120)),
                            "quoted_text": first if n == 2 else "",
                            "language_code": code,
                            "created_at": created + timedelta(hours=n * rng.randint(1, 48)),
                        }
                    )
            connection.execute(Ticket.__table__.insert(), tickets)
            connection.execute(Message.__table__.insert(), messages)


def reindex() -> float:
    from helpdesk.core.services.search_maintenance import id_ranges, optimise_index, reindex_range
    from helpdesk.core.unit_of_work import unit_of_work
    from helpdesk.extensions import db

    started = time.process_time(), time.perf_counter()
    ranges = list(id_ranges(db.session, 1000))
    db.session.rollback()
    indexed = 0
    for ids in ranges:
        with unit_of_work(db.session):
            indexed += reindex_range(db.session, ids)
    with unit_of_work(db.session):
        optimise_index(db.session)  # as ``helpdesk reindex`` does
    wall = time.perf_counter() - started[1]
    return indexed / wall


def index_mb() -> float:
    from sqlalchemy import text as sql

    from helpdesk.extensions import db

    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            size = connection.execute(sql("SELECT pg_total_relation_size('search_postings')"))
            return float(size.scalar() or 0) / 2**20
        pages = connection.execute(
            sql("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_postings%'")
        ).scalar()
    return float(pages or 0) / 2**20


def make_queries(count: int, seed_value: int = 9) -> list[str]:
    """Mixed: a common word, a rare word, two words, a phrase; some with lang: and after:."""
    rng = random.Random(seed_value)
    queries = []
    for n in range(count):
        code = rng.choices(LANGUAGES, WEIGHTS)[0]
        vocab = vocabulary(code)
        kind = n % 4
        if kind == 0:
            query = rng.choice(vocab[20:200])
        elif kind == 1:
            query = rng.choice(vocab[2000:])
        elif kind == 2:
            query = f"{rng.choice(vocab[20:500])} {rng.choice(vocab[20:2000])}"
        else:
            separator = "" if code in ("ja", "zh") else " "
            query = '"' + separator.join(words(rng, code, 2)) + '"'
        if rng.random() < 1 / 3:
            query += f" lang:{code}"
        if rng.random() < 1 / 5:
            query += f" after:{(datetime.now(UTC) - timedelta(days=rng.randint(30, 400))):%Y-%m}"
        queries.append(query)
    return queries


def run_db_queries(queries: list[str]) -> list[float]:
    from helpdesk.core.models import User
    from helpdesk.core.services.search import search_tickets
    from helpdesk.extensions import db

    viewer = db.session.query(User).filter_by(email="c@example.org").one()
    timings = []
    for query in queries:
        started = time.perf_counter()
        results = search_tickets(db.session, query, viewer, per_page=20)
        [hit.snippet for hit in results.hits]
        timings.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return timings


def run_like_queries(queries: list[str]) -> list[float]:
    """What a simple helpdesk does: every word as LIKE '%word%' on the text, newest first."""
    from sqlalchemy import and_, select

    from helpdesk.core.models import Message, Ticket
    from helpdesk.extensions import db

    timings = []
    for query in queries:
        parts = [p.strip('"') for p in query.split() if ":" not in p]
        clauses = [Message.text.like(f"%{part}%") for part in parts if part]
        started = time.perf_counter()
        db.session.execute(
            select(Message.ticket_id, Ticket.subject)
            .join(Ticket, Ticket.id == Message.ticket_id)
            .where(and_(*clauses))
            .order_by(Message.created_at.desc())
            .limit(20)
        ).all()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def search_child(data_dir: Path, database: str | None, count: int) -> None:
    """The searching process on its own, so its peak RSS is its own."""
    from bench.memory import peak_rss_mb

    app = make_app(data_dir, database)
    with app.app_context():
        timings = run_db_queries(make_queries(count))
    print(json.dumps({"timings": timings, "peak_rss_mb": peak_rss_mb()}))


def whoosh_figures(limit: int, queries: list[str], directory: Path) -> dict[str, float]:
    from bench.search_whoosh import build_whoosh, query_whoosh
    from helpdesk.extensions import db

    started = time.perf_counter()
    built = build_whoosh(db.engine, directory, limit)
    rate = built / (time.perf_counter() - started)
    timings = query_whoosh(directory, queries)
    return {
        "messages": built,
        "rate": rate,
        "p50": percentile(timings, 0.5),
        "p95": percentile(timings, 0.95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3,000 tickets: under a minute")
    parser.add_argument("--tickets", type=int)
    parser.add_argument("--database", help="a PostgreSQL URL (its public schema is emptied)")
    parser.add_argument("--whoosh-messages", type=int, help="cap on the Whoosh-native index")
    parser.add_argument("--like-queries", type=int, help="how many queries the LIKE scan runs")
    parser.add_argument("--search-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.search_child:
        search_child(Path(args.search_child[0]), args.database, int(args.search_child[1]))
        return
    tickets = args.tickets or (3000 if args.quick else 100_000)
    queries = make_queries(QUERIES)
    like_n = args.like_queries or (QUERIES if args.quick else 100)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp_name:
        tmp = Path(tmp_name)
        if args.database:
            reset_postgres(args.database)
        app = make_app(tmp, args.database)
        with app.app_context():
            started = time.perf_counter()
            seed(tickets)
            print(f"seeded {tickets:,} tickets in {time.perf_counter() - started:.0f} s")
            rate = reindex()
            size = index_mb()
            print(f"reindex: {rate:,.0f} msg/s; index {size:,.1f} MB")
            like = run_like_queries(queries[:like_n])
            print(f"LIKE: p50 {percentile(like, 0.5):.1f} ms, p95 {percentile(like, 0.95):.1f}")
            whoosh_n = args.whoosh_messages or (3000 if args.quick else 3 * tickets)
            whoosh = whoosh_figures(whoosh_n, queries, tmp / "whoosh")
            print(
                f"whoosh-native ({whoosh['messages']:,} msgs, {whoosh['rate']:,.0f} msg/s): "
                f"p50 {whoosh['p50']:.1f} ms, p95 {whoosh['p95']:.1f}"
            )
        command = [sys.executable, __file__, "--search-child", str(tmp), str(QUERIES)]
        if args.database:
            command += ["--database", args.database]
        child = json.loads(
            subprocess.run(command, capture_output=True, check=True, text=True).stdout.splitlines()[
                -1
            ]
        )
    timings = child["timings"]
    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    print(
        f"database design: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"searching process peak RSS {child['peak_rss_mb']:.0f} MB"
    )
    print(
        json.dumps(
            {
                "messages": 3 * tickets,
                "p50_ms": round(p50, 2),
                "p95_ms": round(p95, 2),
                "like_p50_ms": round(percentile(like, 0.5), 2),
                "like_p95_ms": round(percentile(like, 0.95), 2),
                "whoosh_p50_ms": round(whoosh["p50"], 2),
                "whoosh_p95_ms": round(whoosh["p95"], 2),
                "speedup_p50": round(percentile(like, 0.5) / p50, 1),
                "index_msgs_per_s": round(rate, 1),
                "index_mb": round(size, 1),
                "peak_rss_mb": round(child["peak_rss_mb"], 1),
                "whoosh_messages": whoosh["messages"],
                "whoosh_index_msgs_per_s": round(whoosh["rate"], 1),
                "like_queries": like_n,
                "database": "postgresql" if args.database else "sqlite",
                "mean_ms": round(statistics.fmean(timings), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
