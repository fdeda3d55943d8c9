"""The ticket page: thread, templates, reply, note, status, permissions, attachments."""

from email.message import EmailMessage

from helpdesk.core.models import Direction, Message, OutboxMail, Status, Ticket
from helpdesk.core.services.reply_templates import save_template
from helpdesk.core.unit_of_work import unit_of_work


def _templates(session):
    with unit_of_work(session):
        save_template(
            session,
            "thanks",
            "Thanks",
            {
                "fr": (
                    "Merci",
                    "Bonjour {requester_name},\nVotre demande {ticket_ref}.\n{liaison_name}",
                ),
                "de": ("Danke", "Hallo {requester_name}"),
            },
        )


def test_ticket_page_shows_thread_and_templates_of_its_language_first(
    client, login_as, make_user, create_ticket, session
):
    _templates(session)
    liaison = make_user(languages=("fr",), name="Camille Durand")
    ticket = create_ticket("fr")
    login_as(liaison)
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert ticket.messages[0].text.splitlines()[0] in page
    assert page.index("fr · Merci") < page.index("de · Danke")
    assert "(other language)" in page[page.index("de · Danke") : page.index("de · Danke") + 80]


def test_insert_template_fills_the_composer_without_sending(
    client, login_as, make_user, create_ticket, session, post_form
):
    _templates(session)
    liaison = make_user(languages=("fr",), name="Camille Durand")
    ticket = create_ticket("fr")
    login_as(liaison)
    variant = next(v for v in ticket_variants(session) if v.language_code == "fr")
    url = f"/tickets/{ticket.id}"
    response = post_form(
        url,
        f"{url}/reply",
        {"template": variant.id, "body": "", "insert": "1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Votre demande #{ticket.id}." in page
    assert "Camille Durand" in page
    assert session.query(OutboxMail).count() == 0


def ticket_variants(session):
    from helpdesk.core.models import ReplyTemplateVariant

    return session.query(ReplyTemplateVariant).all()


def test_send_reply_queues_mail_and_sets_status(
    client, login_as, make_user, create_ticket, session, post_form
):
    liaison = make_user(languages=("fr",))
    ticket = create_ticket("fr")
    login_as(liaison)
    url = f"/tickets/{ticket.id}"
    response = post_form(
        url,
        f"{url}/reply",
        {"template": 0, "body": "Bonjour, c'est noté.", "send_resolve": "1"},
    )
    assert response.status_code == 302
    session.expire_all()
    ticket = session.get(Ticket, ticket.id)
    assert ticket.status == Status.RESOLVED
    assert session.query(OutboxMail).one().message.text == "Bonjour, c'est noté."
    assert "Reply queued for sending." in client.get(url).get_data(as_text=True)


def test_empty_reply_re_renders_with_a_message(
    client, login_as, make_user, create_ticket, session, post_form
):
    ticket = create_ticket("fr")
    login_as(make_user(languages=("fr",)))
    url = f"/tickets/{ticket.id}"
    response = post_form(url, f"{url}/reply", {"template": 0, "body": "  ", "send": "1"})
    assert response.status_code == 400
    assert "The message is empty." in response.get_data(as_text=True)
    assert session.query(OutboxMail).count() == 0


def test_bad_status_value_is_refused(client, login_as, make_user, create_ticket, post_form):
    ticket = create_ticket("fr")
    login_as(make_user(languages=("fr",)))
    url = f"/tickets/{ticket.id}"
    response = post_form(url, f"{url}/status", {"status": "deleted"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_note_and_status_change(client, login_as, make_user, create_ticket, session, post_form):
    ticket = create_ticket("fr")
    login_as(make_user(languages=("fr",)))
    url = f"/tickets/{ticket.id}"
    post_form(url, f"{url}/reply", {"body": "Rappelé par téléphone.", "note": "1"})
    post_form(url, f"{url}/status", {"status": "open"})
    session.expire_all()
    assert session.get(Ticket, ticket.id).status == Status.OPEN
    note = session.query(Message).filter_by(direction=Direction.NOTE).one()
    assert note.text == "Rappelé par téléphone."


def test_liaison_of_another_language_gets_403(client, login_as, make_user, create_ticket):
    ticket = create_ticket("ru")
    login_as(make_user(languages=("fr",)))
    assert client.get(f"/tickets/{ticket.id}").status_code == 403


def test_reply_form_for_a_forbidden_ticket_is_refused(
    client, login_as, make_user, create_ticket, session
):
    ticket = create_ticket("ru")
    login_as(make_user(languages=("fr",)))
    page = client.get("/queue/mine").get_data(as_text=True)
    from ..conftest import csrf_token

    response = client.post(
        f"/tickets/{ticket.id}/reply",
        data={"csrf_token": csrf_token(page), "body": "x", "send": "1"},
    )
    assert response.status_code == 403
    assert session.query(OutboxMail).count() == 0


def test_subject_with_markup_is_escaped(client, login_as, make_user, create_ticket):
    ticket = create_ticket("en", subject="<script>alert(1)</script> help")
    login_as(make_user(languages=("en",)))
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; help" in page


def test_attachment_downloads_as_attachment_never_inline(
    client, login_as, make_user, deliver, session
):
    mail = EmailMessage()
    mail["From"] = "a@example.com"
    mail["To"] = "help@example.org"
    mail["Subject"] = "Photo of the lost scarf"
    mail.set_content("Here is a photo.")
    mail.add_attachment(
        b"<html><script>alert(1)</script></html>",
        maintype="text",
        subtype="html",
        filename="scarf.html",
    )
    ticket = session.get(Ticket, deliver(mail.as_bytes()).ticket_id)
    [attachment] = ticket.messages[0].attachments
    login_as(make_user(languages=(ticket.language_code,)))
    with client.get(f"/attachments/{attachment.id}") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.data == b"<html><script>alert(1)</script></html>"


def test_reply_from_someone_else_is_flagged_on_the_page(
    client, login_as, make_user, deliver, session
):
    from ..factories import make_mail

    first = deliver(make_mail(message_id="<first@example.com>", subject="Question"))
    deliver(
        make_mail(
            sender="someone.else@example.net",
            in_reply_to="<first@example.com>",
            extra_headers={"Auto-Submitted": "auto-replied"},
        )
    )
    ticket = session.get(Ticket, first.ticket_id)
    login_as(make_user(languages=(ticket.language_code,)))
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert page.count(">not the requester</span>") == 1
    assert "automatic message" in page
