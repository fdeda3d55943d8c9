"""Realistic benchmark mail in ten languages, built from the labelled routing datasets."""

from __future__ import annotations

import base64
import json
import quopri
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


def _received(rng: random.Random, when: datetime, hop: int) -> str:
    ip = ".".join(str(rng.randrange(1, 255)) for _ in range(4))
    return (
        f"Received: from mx{hop}.mail.example (mx{hop}.mail.example [{ip}])\r\n"
        f"\tby mx.example.org (Postfix) with ESMTPS id {rng.randrange(16**10):010X}\r\n"
        f"\tfor <help@example.org>; {format_datetime(when)}"
    )


def _dkim(rng: random.Random, domain: str) -> str:
    """A signature of realistic size: real mail carries one or two of these."""
    b = base64.b64encode(rng.randbytes(256)).decode()
    bh = base64.b64encode(rng.randbytes(32)).decode()
    folded = "\r\n\t ".join(b[i : i + 70] for i in range(0, len(b), 70))
    return (
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=20230601;\r\n"
        f"\tt={rng.randrange(1_700_000_000, 1_800_000_000)}; x=1; "
        "h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date\r\n"
        f"\t :message-id:reply-to; bh={bh};\r\n\tb={folded}"
    )


def _encoded_text(rng: random.Random, text: str, subtype: str) -> str:
    """A text part as mail clients send it: quoted-printable (most), base64 (CJK from many
    clients), or 8bit."""
    data = text.replace("\n", "\r\n").encode("utf-8")
    choice = rng.random()
    too_long_for_8bit = any(len(line) > 900 for line in data.split(b"\r\n"))
    if choice < 0.55 or (choice >= 0.8 and too_long_for_8bit):
        encoding, payload = "quoted-printable", quopri.encodestring(data).decode("ascii")
    elif choice < 0.8:
        encoding, payload = "base64", base64.encodebytes(data).decode("ascii")
    else:
        encoding, payload = "8bit", data.decode("utf-8")
    return (
        f"Content-Type: text/{subtype}; charset=UTF-8\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
        + payload.replace("\r\n", "\n").replace("\n", "\r\n")
        + "\r\n"
    )


def _html(text: str) -> str:
    paragraphs = "\n".join(
        f'<div dir="auto" style="font-family:Arial,sans-serif;font-size:14px">{line}</div>'
        if line
        else "<div><br></div>"
        for line in text.splitlines()
    )
    return f'<html><head><meta charset="UTF-8"></head><body>{paragraphs}</body></html>'


def _multipart(boundary: str, subtype: str, parts: list[str]) -> str:
    return (
        f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'
        + "".join(f"--{boundary}\r\n{part}" for part in parts)
        + f"--{boundary}--\r\n"
    )


def generate(count: int, seed: int = 1) -> Iterator[bytes]:
    """``count`` messages as a real helpdesk mailbox receives them: a relay's header load
    (Received chain, DKIM signature), most bodies text plus HTML alternatives in
    quoted-printable or base64, a quarter of them replies quoting the message they answer, and a
    few small attachments. Bytes are assembled directly (the email package's generator would
    dominate the benchmark's set-up time)."""
    rng = random.Random(seed)
    texts = load_texts()
    sent: list[tuple[str, str, str]] = []  # (message-id, subject, text) to reply to
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(count):
        language, sample = rng.choice(texts)
        domain = rng.choice(DOMAINS)
        sender = f"person{rng.randrange(count // 3 + 1)}@{domain}"
        message_id = f"<bench.{seed}.{n}@{domain}>"
        when = start + timedelta(minutes=n)
        subject = sample["subject"] or sample["text"][:40].replace("\n", " ")
        text = sample["text"]
        headers = [
            f"Return-Path: <{sender}>",
            *(_received(rng, when, hop) for hop in range(rng.randrange(2, 5))),
            _dkim(rng, domain),
            f"From: Person {n} <{sender}>",
            f"To: {rng.choice(['help@example.org', f'{language}@example.org'])}",
            f"Date: {format_datetime(when)}",
            f"Message-ID: {message_id}",
            "MIME-Version: 1.0",
            rng.choice(USER_AGENTS),
        ]
        if sent and rng.random() < 0.25:
            parent_id, parent_subject, parent_text = rng.choice(sent)
            headers += [f"In-Reply-To: {parent_id}", f"References: {parent_id}"]
            subject = f"Re: {parent_subject}"
            quoted = "\n".join(f"> {line}" for line in parent_text.splitlines())
            text = f"{text}\n\nOn {format_datetime(when)}, someone wrote:\n{quoted}"
        headers.append(f"Subject: {_header(subject)}")
        body = _encoded_text(rng, text, "plain")
        if rng.random() < 0.65:  # Gmail, Outlook and Apple Mail send an HTML alternative
            body = _multipart(
                f"=_alt_{n}", "alternative", [body, _encoded_text(rng, _html(text), "html")]
            )
        if rng.random() < 0.05:
            payload = base64.encodebytes(rng.randbytes(20_000)).decode().replace("\n", "\r\n")
            attachment = (
                "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                f'Content-Disposition: attachment; filename="document-{n}.pdf"\r\n\r\n' + payload
            )
            body = _multipart(f"=_mixed_{n}", "mixed", [body, attachment])
        sent.append((message_id, subject, sample["text"]))
        yield ("\r\n".join(headers) + "\r\n" + body).encode("utf-8")


USER_AGENTS = [
    "X-Mailer: Microsoft Outlook 16.0",
    "User-Agent: Mozilla Thunderbird",
    "X-Mailer: iPhone Mail (21A329)",
    "X-Google-Smtp-Source: AGHT+IF" + "x" * 60,
]
