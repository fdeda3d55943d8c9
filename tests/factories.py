"""Building realistic test data through the real code paths (services and the mail pipeline)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from helpdesk.core.models import utcnow

DEMO_DATA = json.loads(
    (Path(__file__).parents[1] / "helpdesk" / "demo" / "demo_data.json").read_text("utf-8")
)
# One realistic message per language, from the demo data.
SAMPLE_TEXTS = {
    code: next(t for t in DEMO_DATA["tickets"] if t["language"] == code)
    for code in DEMO_DATA["languages"]
}
PASSWORD = "correct horse battery staple"


def make_mail(
    *,
    subject: str = "Question",
    body: str = "Hello, I have a question about the next meeting.",
    sender: str = "requester@example.com",
    sender_name: str = "Requester",
    to: str = "help@example.org",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    extra_headers: dict[str, str] | None = None,
) -> bytes:
    mail = EmailMessage()
    mail["From"] = f'"{sender_name}" <{sender}>' if sender_name else sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(utcnow())
    mail["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = references
    mail.set_content(body)  # clears Content-* headers: extra headers come after it
    for name, value in (extra_headers or {}).items():
        mail[name] = value
    return mail.as_bytes()


def sample_mail(language: str, **overrides: object) -> bytes:
    """A realistic first message in ``language``."""
    sample = SAMPLE_TEXTS[language]
    fields: dict[str, object] = {
        "subject": sample["subject"],
        "body": sample["body"],
        "sender": sample["requester_email"],
        "sender_name": sample["requester_name"],
    }
    fields.update(overrides)
    return make_mail(**fields)  # type: ignore[arg-type]
