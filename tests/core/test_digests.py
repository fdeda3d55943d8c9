"""The coordinators' daily digest: breaches, tickets about to breach and highlighted ones, in
each coordinator's language, from the outbox, once a day."""

from datetime import timedelta

from helpdesk.core.models import OutboxMail, OutboxState, Role, utcnow
from helpdesk.core.services.coordination import HighlightInput, set_highlight
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.dashboard.digests import send_daily_digests
from helpdesk.workers.outbox import deliver_due
from helpdesk.workers.transports import SMTPTransport

from ..timelines import Timeline


def test_each_coordinator_gets_one_digest_a_day_over_the_outbox(app, session, make_user, smtp_sink):
    now = utcnow()
    liaison = make_user()
    with unit_of_work(session):
        late = Timeline(session, "fr", now - timedelta(hours=30), liaison).ticket
        soon = Timeline(session, "fr", now - timedelta(hours=20), liaison).ticket
        fine = Timeline(session, "fr", now - timedelta(hours=1), liaison).ticket
    with unit_of_work(session):
        set_highlight(session, fine, liaison, HighlightInput(True, "Press enquiry"))
    arabic = make_user(Role.COORDINATOR, languages=())
    english = make_user(Role.COORDINATOR, languages=())
    with unit_of_work(session):
        arabic.locale = "ar"
    make_user(Role.ADMIN)  # admins get none

    assert send_daily_digests(app, now) == 2
    assert send_daily_digests(app, now) == 0  # not twice the same day
    assert send_daily_digests(app, now + timedelta(days=1)) == 2

    mails = {mail.recipients: mail for mail in session.query(OutboxMail).order_by(OutboxMail.id)}
    assert set(mails) == {arabic.email, english.email}
    transport = SMTPTransport(smtp_sink.host, smtp_sink.port, "none", "", "", timeout=5)
    assert deliver_due(session, transport, max_attempts=3) == 4
    assert all(mail.state == OutboxState.SENT for mail in session.query(OutboxMail))
    received = {}  # each coordinator's first digest (today's)
    for message in smtp_sink.handler.messages:
        received.setdefault(message["To"].addresses[0].addr_spec, message)
    text = received[english.email].get_body(("plain",)).get_content()
    breached_part, rest = text.split("About to breach")
    assert f"#{late.id}" in breached_part and f"#{soon.id}" not in breached_part
    about_part, highlighted_part = rest.split("Highlighted by liaisons")
    assert f"#{soon.id}" in about_part
    assert f"#{fine.id}" in highlighted_part and "Press enquiry" in highlighted_part
    assert received[arabic.email]["Content-Language"] == "ar"
    assert 'dir="rtl"' in received[arabic.email].get_body(("html",)).get_content()
    assert received[english.email]["Auto-Submitted"] == "auto-replied"
