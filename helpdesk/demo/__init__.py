"""``helpdesk demo``: a living helpdesk in ten languages, seeded through the real mail path."""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from ..core.models import Mailbox, Role, Ticket, User, utcnow
from ..core.services.languages import ensure_languages
from ..core.services.reply_templates import save_template
from ..core.services.users import NewUser, create_user
from ..core.unit_of_work import unit_of_work
from ..database import prepare_database
from ..extensions import db
from ..workers.inbound import make_deliver

DATA_FILE = Path(__file__).parent / "demo_data.json"
DEMO_DOMAIN = "example.org"
Account = tuple[str, str, str]  # email, password, description


def seed_demo(app: Flask) -> list[Account]:
    """Seed once; later runs change nothing and show the same accounts again."""
    credentials = Path(app.config["DATA_DIR"]) / "demo-accounts.json"
    prepare_database()
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    if db.session.scalar(select(User).where(User.email == data["coordinator"]["email"])):
        return (
            [tuple(row) for row in json.loads(credentials.read_text())]
            if credentials.exists()
            else []
        )
    with unit_of_work(db.session):
        accounts = _seed_staff_and_templates(data)
    _seed_tickets(app, data["tickets"])
    fd = os.open(credentials, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(accounts, out, ensure_ascii=False)
    return accounts


def _seed_staff_and_templates(data: dict[str, Any]) -> list[Account]:
    codes = list(data["languages"])
    ensure_languages(db.session, codes)
    db.session.add(Mailbox(address=f"help@{DEMO_DOMAIN}", name="Help"))
    for code in codes:
        db.session.add(
            Mailbox(
                address=f"{code}@{DEMO_DOMAIN}",
                name=data["languages"][code]["name"],
                default_language_code=code,
            )
        )
    accounts: list[Account] = []
    coordinator = data["coordinator"]
    password = secrets.token_urlsafe(9)
    create_user(
        db.session,
        NewUser(
            coordinator["email"], coordinator["name"], password, Role.COORDINATOR, tuple(codes)
        ),
    )
    accounts.append((coordinator["email"], password, "coordinator, all languages"))
    for code, liaison in data["liaisons"].items():
        password = secrets.token_urlsafe(9)
        create_user(
            db.session, NewUser(liaison["email"], liaison["name"], password, Role.LIAISON, (code,))
        )
        accounts.append(
            (liaison["email"], password, f"liaison, {data['languages'][code]['english_name']}")
        )
    for template in data["templates"]:
        variants = {code: (v["name"], v["body"]) for code, v in template["variants"].items()}
        save_template(db.session, template["key"], template["name_en"], variants)
    return accounts


def _seed_tickets(app: Flask, tickets: list[dict[str, Any]]) -> None:
    """Each ticket arrives as a real mail through the ingest pipeline, then is aged."""
    deliver = make_deliver(app)
    for index, spec in enumerate(tickets):
        # Half go to the shared address, half to the language's own: both routes get exercised.
        to = f"help@{DEMO_DOMAIN}" if index % 2 else f"{spec['language']}@{DEMO_DOMAIN}"
        result = deliver(_demo_mail(spec, to), "demo")
        if result.ticket_id is None:
            continue
        with unit_of_work(db.session):
            ticket = db.session.get(Ticket, result.ticket_id)
            assert ticket is not None
            when = utcnow() - timedelta(hours=spec["age_hours"])
            ticket.created_at = ticket.updated_at = ticket.last_requester_message_at = when
            for message in ticket.messages:
                message.created_at = when


def _demo_mail(spec: dict[str, Any], to: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = f'"{spec["requester_name"]}" <{spec["requester_email"]}>'
    mail["To"] = to
    mail["Subject"] = spec["subject"]
    mail["Date"] = format_datetime(utcnow() - timedelta(hours=spec["age_hours"]))
    mail["Message-ID"] = make_msgid(domain=spec["requester_email"].split("@")[1])
    mail.set_content(spec["body"])
    return mail.as_bytes()
