"""The ticket page's workspace routes: composer buttons, attachments, stale views, presence,
summary, highlight, requester card, HTML display and attachment serving; with permissions."""

import io
import re
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from helpdesk.core.models import (
    Attachment,
    Direction,
    EventKind,
    Message,
    OutboxMail,
    Role,
    Status,
    Ticket,
    TicketEvent,
)
from helpdesk.core.services.signatures import save_signatures
from helpdesk.core.unit_of_work import unit_of_work

from ..conftest import csrf_token
from ..factories import make_mail


def _seen_id(page: str) -> str:
    return re.search(r'name="seen_message_id" type="hidden" value="(\d+)"', page).group(1)


def _compose(client, ticket, data, **kwargs):
    url = f"/tickets/{ticket.id}"
    page = client.get(url).get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "seen_message_id": _seen_id(page), **data}
    return client.post(f"{url}/reply", data=form, **kwargs)


@pytest.fixture
def french(create_ticket, make_user, login_as):
    """A French ticket and its liaison, signed in."""
    liaison = make_user(languages=("fr",), name="Camille Durand")
    login_as(liaison)
    return create_ticket("fr"), liaison


@pytest.mark.parametrize(
    ("button", "status"),
    [("send", Status.PENDING), ("send_resolve", Status.RESOLVED), ("send_open", Status.OPEN)],
)
def test_each_send_button_sets_its_status(client, session, french, button, status):
    ticket, _ = french
    response = _compose(client, ticket, {"body": "Bonjour.", button: "1"})
    assert response.status_code == 302
    assert "sent=1" in response.headers["Location"]
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == status
    assert session.query(OutboxMail).count() == 1


def test_the_composer_saves_an_internal_note_instead(client, session, french):
    ticket, _ = french
    assert _compose(client, ticket, {"body": "À rappeler lundi.", "note": "1"}).status_code == 302
    note = session.query(Message).filter_by(direction=Direction.NOTE).one()
    assert note.text == "À rappeler lundi."
    assert session.query(OutboxMail).count() == 0
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == Status.NEW


def test_a_post_without_a_known_button_sends_nothing(client, session, french):
    ticket, _ = french
    assert _compose(client, ticket, {"body": "Bonjour."}).status_code == 400
    assert session.query(OutboxMail).count() == 0


def test_reply_without_csrf_token_is_refused(client, session, french):
    ticket, _ = french
    response = client.post(f"/tickets/{ticket.id}/reply", data={"body": "x", "send": "1"})
    assert response.status_code == 400
    assert session.query(OutboxMail).count() == 0


def test_reply_attachments_are_sent_stored_and_listed(client, session, french):
    ticket, _ = french
    files = [
        (io.BytesIO(b"%PDF-1.4 test"), "reçu.pdf", "application/pdf"),
        (io.BytesIO(b"a,b\n1,2\n"), "../../etc/table.csv", "text/csv"),
    ]
    response = _compose(
        client,
        ticket,
        {"body": "Voici les documents.", "send": "1", "files": files},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    mail = message_from_bytes(session.query(OutboxMail).one().content, policy=policy.default)
    assert [p.get_filename() for p in mail.iter_attachments()] == ["reçu.pdf", "table.csv"]
    stored = session.query(Attachment).order_by(Attachment.id).all()[-2:]
    assert [a.filename for a in stored] == ["reçu.pdf", "table.csv"]
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert f'href="/attachments/{stored[0].id}"' in page
    with client.get(f"/attachments/{stored[0].id}") as download:
        assert download.data == b"%PDF-1.4 test"


def test_attachments_over_the_limit_are_refused_with_the_text_kept(app, client, session, french):
    ticket, _ = french
    app.config["REPLY_ATTACHMENTS_MAX_BYTES"] = 10
    response = _compose(
        client,
        ticket,
        {"body": "Mon texte.", "send": "1", "files": [(io.BytesIO(b"x" * 11), "a.bin")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "larger than" in page and "Mon texte." in page
    assert session.query(OutboxMail).count() == 0


def test_a_reply_from_a_stale_view_warns_keeps_the_text_and_sends_on_confirmation(
    client, session, deliver, create_ticket, make_user, login_as
):
    ticket = create_ticket("fr", message_id="<q@example.com>")
    login_as(make_user(languages=("fr",)))
    url = f"/tickets/{ticket.id}"
    page = client.get(url).get_data(as_text=True)
    deliver(
        make_mail(
            sender=ticket.requester.email,
            in_reply_to="<q@example.com>",
            body="Autre chose: annulé.",
        )
    )
    data = {"csrf_token": csrf_token(page), "seen_message_id": _seen_id(page)}
    data |= {"body": "Ma réponse.", "send_resolve": "1"}
    warned = client.post(f"{url}/reply", data=data)
    assert warned.status_code == 409
    html = warned.get_data(as_text=True)
    assert "Not sent: the ticket changed since you opened it." in html
    assert "Autre chose: annulé." in html
    assert "Ma réponse.</textarea>" in html
    assert session.query(OutboxMail).count() == 0
    assert _seen_id(html) != data["seen_message_id"]
    anyway = client.post(f"{url}/reply", data={**data, "seen_message_id": _seen_id(html)})
    assert anyway.status_code == 302
    assert session.query(OutboxMail).one().message.text == "Ma réponse."


def test_another_liaison_viewing_and_replying_is_shown(
    app, client, session, create_ticket, make_user, login_as
):
    ticket = create_ticket("fr")
    alex = make_user(languages=("fr",), name="Alex Martin")
    me = make_user(languages=("fr",), name="Camille Durand")
    login_as(alex)
    alex_page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert "is also viewing" not in alex_page
    other = app.test_client()
    login_page = other.get("/auth/login").get_data(as_text=True)
    other.post(
        "/auth/login",
        data={
            "email": me.email,
            "password": "correct horse battery staple",
            "csrf_token": csrf_token(login_page),
        },
    )
    my_page = other.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert "Alex Martin is also viewing this ticket." in my_page
    _compose(client, ticket, {"body": "Je réponds.", "send": "1"})  # Alex replies
    beat = other.post(
        f"/tickets/{ticket.id}/presence",
        data={"seen_message_id": _seen_id(my_page)},
        headers={"X-CSRFToken": csrf_token(my_page)},
    )
    assert beat.status_code == 200
    assert beat.get_json()["notices"] == [
        "Alex Martin is also viewing this ticket.",
        "Alex Martin has just replied.",
    ]


def test_presence_heartbeat_needs_csrf(client, french):
    ticket, _ = french
    assert client.post(f"/tickets/{ticket.id}/presence").status_code == 400


def test_summary_is_saved_shown_and_recorded(client, session, french, post_form):
    ticket, liaison = french
    url = f"/tickets/{ticket.id}"
    response = post_form(url, f"{url}/summary", {"summary": "Wants a refund for July."})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Ticket, ticket.id).summary == "Wants a refund for July."
    event = session.query(TicketEvent).filter_by(kind=EventKind.SUMMARY_CHANGED).one()
    assert event.actor_id == liaison.id
    assert "Wants a refund for July." in client.get(url).get_data(as_text=True)


def test_highlight_is_set_with_a_reason_shown_and_cleared(client, session, french, post_form):
    ticket, _ = french
    url = f"/tickets/{ticket.id}"
    refused = post_form(url, f"{url}/highlight", {"reason": " ", "highlight": "1"})
    assert refused.status_code == 400
    assert "Say why" in refused.get_data(as_text=True)
    post_form(url, f"{url}/highlight", {"reason": "Journalist asking", "highlight": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "highlighted for coordinators" in page and "Journalist asking" in page
    post_form(url, f"{url}/highlight", {"reason": "", "clear": "1"})
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert (ticket.highlighted, ticket.highlight_reason) == (False, "")
    kinds = session.query(TicketEvent).filter_by(kind=EventKind.HIGHLIGHT_CHANGED).count()
    assert kinds == 2


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/reply", {"body": "x", "send": "1"}),
        ("post", "/reply", {"body": "x", "note": "1"}),
        ("post", "/summary", {"summary": "x"}),
        ("post", "/highlight", {"reason": "x", "highlight": "1"}),
        ("post", "/presence", {}),
        ("get", "", {}),
        ("get", "?remote_images=1", {}),
    ],
)
def test_every_ticket_route_refuses_a_liaison_of_another_language(
    client, session, create_ticket, make_user, login_as, method, path, data
):
    ticket = create_ticket("ru")
    login_as(make_user(languages=("fr",)))
    token = csrf_token(client.get("/account").get_data(as_text=True))
    url = f"/tickets/{ticket.id}{path}"
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data={**data, "csrf_token": token})
    assert response.status_code == 403
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert (ticket.summary, ticket.highlighted) == ("", False)
    assert session.query(OutboxMail).count() == 0
    assert session.query(Message).filter_by(direction=Direction.NOTE).count() == 0


def test_requester_card_lists_only_tickets_the_viewer_may_see(
    client, create_ticket, make_user, login_as
):
    earlier = create_ticket("fr", subject="Première demande")
    hidden = create_ticket("ru", sender=earlier.requester.email, subject="Скрытый вопрос")
    current = create_ticket("fr", sender=earlier.requester.email, subject="Deuxième demande")
    login_as(make_user(languages=("fr",)))
    page = client.get(f"/tickets/{current.id}").get_data(as_text=True)
    card = page[page.index('class="card requester"') :]
    assert f'href="/tickets/{earlier.id}"' in card and "Première demande" in card
    assert f"/tickets/{hidden.id}" not in page and "Скрытый вопрос" not in page


def _html_mail_with_images() -> bytes:
    mail = EmailMessage()
    mail["From"] = "Ana <ana@example.com>"
    mail["To"] = "help@example.org"
    mail["Subject"] = "Foto do evento"
    mail.set_content("Olá, segue a foto do evento de sábado.")
    mail.add_alternative(
        '<p>Olá, segue a foto do evento de sábado.</p><img src="cid:photo@ana" alt="foto">'
        '<img src="https://tracker.example/open.gif?u=ana" width="1" height="1">',
        subtype="html",
    )
    mail.get_payload()[1].add_related(
        b"\x89PNG\r\n\x1a\nfake", maintype="image", subtype="png", cid="<photo@ana>"
    )
    return mail.as_bytes()


def test_html_is_shown_with_inline_images_and_remote_ones_only_on_request(
    client, session, deliver, make_user, login_as
):
    ticket = session.get(Ticket, deliver(_html_mail_with_images()).ticket_id)
    login_as(make_user(role=Role.COORDINATOR, languages=()))
    [message] = ticket.messages
    [image] = message.attachments
    assert image.content_id == "photo@ana"
    page = client.get(f"/tickets/{ticket.id}")
    html = page.get_data(as_text=True)
    assert f'<img src="/attachments/{image.id}/inline" alt="foto">' in html
    assert "tracker.example" not in html
    assert "1 remote image was not loaded" in html
    assert "https:" not in page.headers["Content-Security-Policy"]
    loaded = client.get(f"/tickets/{ticket.id}?remote_images={message.id}")
    assert 'src="https://tracker.example/open.gif?u=ana"' in loaded.get_data(as_text=True)
    csp = loaded.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https: http:" in csp and "script-src 'self'" in csp
    with client.get(f"/attachments/{image.id}/inline") as served:
        assert served.headers["Content-Type"] == "image/png"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in served.headers["Content-Security-Policy"]


def test_only_raster_images_are_served_inline(client, session, deliver, make_user, login_as):
    mail = EmailMessage()
    mail["From"] = "a@example.com"
    mail["To"] = "help@example.org"
    mail["Subject"] = "Logo"
    mail.set_content("Logo attached.")
    mail.add_attachment(
        b"<svg onload='alert(1)'/>",
        maintype="image",
        subtype="svg+xml",
        filename="logo.svg",
        cid="<logo@x>",
    )
    ticket = session.get(Ticket, deliver(mail.as_bytes()).ticket_id)
    [svg] = ticket.messages[0].attachments
    login_as(make_user(role=Role.COORDINATOR, languages=()))
    assert client.get(f"/attachments/{svg.id}/inline").status_code == 404


def test_attachment_download_headers_and_login(app, client, session, deliver, make_user, login_as):
    ticket = session.get(Ticket, deliver(_html_mail_with_images()).ticket_id)
    [image] = ticket.messages[0].attachments
    anonymous = app.test_client().get(f"/attachments/{image.id}")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    other_language = "ru" if ticket.language_code != "ru" else "fr"
    login_as(make_user(languages=(other_language,)))
    assert client.get(f"/attachments/{image.id}").status_code == 403
    assert client.get(f"/attachments/{image.id}/inline").status_code == 403
    coordinator = make_user(role=Role.COORDINATOR, languages=())
    account = client.get("/account").get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token(account)})
    login_as(coordinator)
    with client.get(f"/attachments/{image.id}") as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["Content-Type"] == "application/octet-stream"


def test_signature_from_the_account_page_is_shown_and_appended(client, session, french, post_form):
    ticket, _ = french
    response = post_form(
        "/account",
        "/account/signatures",
        {"signature_fr": "Camille\nÉquipe des bénévoles", "signature_ru": "ignored"},
    )
    assert response.status_code == 302
    account = client.get("/account").get_data(as_text=True)
    assert "Équipe des bénévoles</textarea>" in account
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert "Camille\nÉquipe des bénévoles</pre>" in page
    _compose(client, ticket, {"body": "Merci.", "send": "1"})
    sent = session.query(OutboxMail).one().message.text
    assert sent == "Merci.\n\n-- \nCamille\nÉquipe des bénévoles"


def test_ticket_page_query_count_does_not_grow_with_the_thread(
    client, session, create_ticket, make_user, login_as, count_queries
):
    liaison = make_user(languages=("fr",))
    with unit_of_work(session):
        save_signatures(session, liaison, {"fr": "Camille"})
    short, long = create_ticket("fr"), create_ticket("fr", subject="Autre")
    from helpdesk.core.services.replies import add_note

    with unit_of_work(session):
        for n in range(12):
            add_note(session, long, liaison, f"Note {n}")
    ids = (short.id, long.id)
    login_as(liaison)
    counts = []
    for ticket_id in ids:
        with count_queries() as counter:
            assert client.get(f"/tickets/{ticket_id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    # Pinned: a new query on this page must be a choice (19th: tags; 20th to 25th: related
    # tickets: the index's size, its vocabulary, the matches, their tickets).
    assert counts[0] <= 25
