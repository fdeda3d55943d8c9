"""Realistic benchmark mail in ten languages, built from the labelled routing datasets."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

DATA = Path(__file__).parent / "data" / "langid"
DOMAINS = ["example.com", "example.net", "mail.example", "example.org"]


def load_texts() -> list[tuple[str, dict[str, str]]]:
    """(language, {"kind", "subject", "text"}) for every labelled message."""
    texts = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                texts.append((path.stem, json.loads(line)))
    return texts


def _header(value: str) -> str:
    return Header(value, "utf-8").encode() if not value.isascii() else value


def generate(count: int, seed: int = 1) -> Iterator[bytes]:
    """``count`` messages: new questions, replies threading into earlier ones, a few HTML
    bodies and small attachments, as a real helpdesk mailbox has. Bytes are assembled
    directly (the email package's generator would dominate the benchmark's set-up time)."""
    rng = random.Random(seed)
    texts = load_texts()
    sent: list[tuple[str, str]] = []  # (message-id, subject) to reply to
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(count):
        language, sample = rng.choice(texts)
        sender = f"person{rng.randrange(count // 3 + 1)}@{rng.choice(DOMAINS)}"
        message_id = f"<bench.{seed}.{n}@{sender.split('@')[1]}>"
        subject = sample["subject"] or sample["text"][:40].replace("\n", " ")
        headers = [
            f"From: Person {n} <{sender}>",
            f"To: {rng.choice(['help@example.org', f'{language}@example.org'])}",
            f"Date: {format_datetime(start + timedelta(minutes=n))}",
            f"Message-ID: {message_id}",
            "MIME-Version: 1.0",
        ]
        if sent and rng.random() < 0.25:
            parent_id, parent_subject = rng.choice(sent)
            headers += [f"In-Reply-To: {parent_id}", f"References: {parent_id}"]
            subject = f"Re: {parent_subject}"
        headers.append(f"Subject: {_header(subject)}")
        text_part = (
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            + sample["text"].replace("\n", "\r\n")
            + "\r\n"
        )
        parts = [text_part]
        if rng.random() < 0.15:
            html = "".join(f"<p>{line}</p>" for line in sample["text"].splitlines() if line)
            parts.append(
                "Content-Type: text/html; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n"
                f"<html><body>{html}</body></html>\r\n"
            )
        if rng.random() < 0.05:
            payload = base64.encodebytes(rng.randbytes(20_000)).decode().replace("\n", "\r\n")
            parts.append(
                "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                f'Content-Disposition: attachment; filename="document-{n}.pdf"\r\n\r\n' + payload
            )
        if len(parts) == 1:
            body = "\r\n".join(headers) + "\r\n" + parts[0]
        else:
            boundary = f"=_bench_{n}"
            body = "\r\n".join(headers) + (
                f'\r\nContent-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
                + "".join(f"--{boundary}\r\n{part}" for part in parts)
                + f"--{boundary}--\r\n"
            )
        sent.append((message_id, subject))
        yield body.encode("utf-8")
