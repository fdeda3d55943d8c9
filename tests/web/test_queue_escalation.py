"""A ticket about to breach its queue's SLA is flagged in the queue, and can be listed alone."""

import re
from datetime import timedelta

from helpdesk.core.models import Role, Status, utcnow
from helpdesk.core.unit_of_work import unit_of_work

from ..timelines import Timeline


def _rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="ticket-(\d+)"', page)]


def test_tickets_about_to_breach_are_flagged_and_filtered(client, login_as, make_user, session):
    now = utcnow()
    with unit_of_work(session):  # French policy: first response within 24 h, resolution 120 h
        fine = Timeline(session, "fr", now - timedelta(hours=2)).ticket
        soon = Timeline(session, "fr", now - timedelta(hours=20)).ticket
        late = Timeline(session, "fr", now - timedelta(hours=30)).ticket
        slow = Timeline(session, "fr", now - timedelta(hours=119))
        slow.reply(now - timedelta(hours=118), Status.OPEN)  # answered; resolution nearly due
    login_as(make_user(Role.COORDINATOR))
    page = client.get("/queue/all").get_data(as_text=True)
    rows = dict(zip(_rows(page), page.split('<tr id="ticket-')[1:], strict=True))
    assert "about to breach" in rows[soon.id] and "about to breach" in rows[slow.ticket.id]
    assert "SLA breached" in rows[late.id]
    assert "about to breach" not in rows[fine.id] and "SLA breached" not in rows[fine.id]
    due_soon = client.get("/queue/all?sla=due_soon").get_data(as_text=True)
    assert sorted(_rows(due_soon)) == sorted([soon.id, slow.ticket.id])
    assert _rows(client.get("/queue/all?sla=breached").get_data(as_text=True)) == [late.id]
