"""Sending the daily digests: each coordinator's mail rendered in their language, outside any
request (``force_locale``), and queued in the outbox by the digest service."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..app_settings import current_mail_settings
from ..core.models import utcnow
from ..core.services.digests import (
    DigestContent,
    coordinators_due,
    digest_content,
    queue_digest,
)
from ..core.unit_of_work import unit_of_work
from ..extensions import db
from ..formatting import format_day


def render_digest(content: DigestContent, locale: str, day: date, base_url: str) -> tuple[str, str]:
    """The subject and text of one digest, in ``locale`` (the day written its way)."""
    with force_locale(locale):
        day_text = format_day(day, "long")
        subject = _("Polyglot Desk digest for %(day)s", day=day_text)
        text = render_template(
            "dashboard/digest.txt", content=content, day=day_text, base_url=base_url.rstrip("/")
        )
    return subject, text


def send_daily_digests(app: Flask, now: datetime | None = None) -> int:
    """Queue today's digest for every coordinator who has not had it; returns how many. Safe to
    run as often as you like: once per coordinator per UTC day, each in its own transaction."""
    now = now or utcnow()
    day = now.date()
    config = app.config
    settings = current_mail_settings()
    session = db.session
    with unit_of_work(session):
        content = digest_content(session, now)
    sent = 0
    for user in coordinators_due(session, day):
        subject, text = render_digest(content, user.locale or "en", day, config["BASE_URL"])
        with unit_of_work(session):
            queue_digest(session, user, subject, text, settings, day, now)
        sent += 1
    return sent
