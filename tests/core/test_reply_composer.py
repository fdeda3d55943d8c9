"""What the composer adds to a reply: signatures, attachments, the HTML part, stale-view checks."""

from email import message_from_bytes, policy

import pytest

from helpdesk.core.blob_stores import blob_store
from helpdesk.core.errors import AttachmentsTooLarge
from helpdesk.core.models import Attachment, Direction, Message, OutboxMail
from helpdesk.core.services.outgoing_mail import MailSettings, OutgoingAttachment
from helpdesk.core.services.replies import (
    ReplyInput,
    StaleReplyError,
    add_note,
    reply,
)
from helpdesk.core.services.signatures import SignatureError, save_signatures, signatures_of
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import make_mail

SETTINGS = MailSettings("help@example.org", "example.org", max_attachment_bytes=1000)


def _sent(session):
    return message_from_bytes(session.query(OutboxMail).one().content, policy=policy.default)


def _reply(session, ticket, user, data, store=None):
    with unit_of_work(session):
        return reply(session, ticket, user, data, SETTINGS, store)


def test_the_signature_of_the_ticket_language_is_appended(session, create_ticket, make_user):
    liaison = make_user(languages=("fr", "de"))
    with unit_of_work(session):
        save_signatures(
            session, liaison, {"fr": "Camille, équipe bénévole", "de": "Camille, Freiwillige"}
        )
    ticket = create_ticket("fr")
    message = _reply(session, ticket, liaison, ReplyInput("Merci."))
    assert message.text == "Merci.\n\n-- \nCamille, équipe bénévole"
    assert _sent(session).get_body(("plain",)).get_content().rstrip().endswith("bénévole")


def test_no_signature_for_a_language_without_one(session, create_ticket, make_user):
    liaison = make_user(languages=("fr", "de"))
    with unit_of_work(session):
        save_signatures(session, liaison, {"de": "Camille"})
    message = _reply(session, create_ticket("fr"), liaison, ReplyInput("Merci."))
    assert message.text == "Merci."


def test_signatures_only_for_languages_the_liaison_answers_in(session, make_user):
    liaison = make_user(languages=("fr",))
    with pytest.raises(SignatureError), unit_of_work(session):
        save_signatures(session, liaison, {"ru": "Камилла"})
    with unit_of_work(session):
        save_signatures(session, liaison, {"fr": "Camille"})
    with unit_of_work(session):
        save_signatures(session, liaison, {"fr": "  "})  # emptied: removed
    assert signatures_of(session, liaison) == {}


def test_mail_has_text_and_escaped_html_alternatives(session, create_ticket, make_user):
    ticket = create_ticket("en")
    body = "Hello <b>there</b> & welcome.\nSecond line.\n\nhttp://example.com/x"
    _reply(session, ticket, make_user(languages=("en",)), ReplyInput(body))
    mail = _sent(session)
    assert mail.get_content_type() == "multipart/alternative"
    assert mail["Content-Language"] == "en"
    html = mail.get_body(("html",)).get_content()
    assert "Hello &lt;b&gt;there&lt;/b&gt; &amp; welcome.<br>" in html
    assert "<p>http://example.com/x</p>" in html  # no link made from text
    assert 'dir="ltr"' in html
    assert mail.get_body(("plain",)).get_content().startswith("Hello <b>there</b>")


def test_html_part_reads_right_to_left_for_arabic(session, create_ticket, make_user):
    ticket = create_ticket("ar")
    _reply(session, ticket, make_user(languages=("ar",)), ReplyInput("شكرا لرسالتك"))
    html = _sent(session).get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
    assert "شكرا لرسالتك" in html


def test_attachments_are_stored_and_sent_with_safe_names(app, session, create_ticket, make_user):
    store = blob_store(app.config, "attachments")
    ticket = create_ticket("fr")
    files = (
        OutgoingAttachment.cleaned("C:\\Users\\x\\reçu été.pdf", "application/pdf", b"%PDF-1"),
        OutgoingAttachment.cleaned(
            'evil"\r\nBcc: victim@example.net.txt', "text/plain\r\nX-Evil: 1", b"hi"
        ),
    )
    message = _reply(
        session,
        ticket,
        make_user(languages=("fr",)),
        ReplyInput("Voici.", attachments=files),
        store,
    )
    assert [a.filename for a in message.attachments] == [
        "reçu été.pdf",
        'evil"Bcc: victim@example.net.txt',
    ]
    assert store.get(message.attachments[0].sha256) == b"%PDF-1"
    raw = session.query(OutboxMail).one().content
    assert b"filename*=utf-8''re%C3%A7u%20%C3%A9t%C3%A9.pdf" in raw
    mail = _sent(session)
    assert mail.get_content_type() == "multipart/mixed"
    assert mail["Bcc"] is None and mail["X-Evil"] is None
    parts = list(mail.iter_attachments())
    assert [p.get_filename() for p in parts] == [
        "reçu été.pdf",
        'evil"Bcc: victim@example.net.txt',
    ]
    assert [p.get_content_type() for p in parts] == ["application/pdf", "text/plain"]
    assert parts[0].get_content() == b"%PDF-1"
    assert mail.get_body(("plain",)).get_content().strip() == "Voici."
    assert mail["Content-Language"] == "fr"


def test_attachments_over_the_size_limit_are_refused(app, session, create_ticket, make_user):
    store = blob_store(app.config, "attachments")
    big = OutgoingAttachment.cleaned("big.bin", "application/octet-stream", b"x" * 1001)
    with pytest.raises(AttachmentsTooLarge):
        _reply(
            session,
            create_ticket("fr"),
            make_user(languages=("fr",)),
            ReplyInput("Voici.", attachments=(big,)),
            store,
        )
    assert session.query(OutboxMail).count() == 0
    assert session.query(Attachment).count() == 0


def test_a_reply_from_a_stale_view_is_refused_until_the_new_messages_are_seen(
    session, create_ticket, make_user, deliver
):
    liaison, colleague = make_user(languages=("fr",)), make_user(languages=("fr",))
    ticket = create_ticket("fr", message_id="<q1@example.com>")
    seen = ticket.messages[-1].id
    deliver(make_mail(in_reply_to="<q1@example.com>", body="Encore une chose."))
    with unit_of_work(session):
        add_note(session, ticket, colleague, "Je m'en occupe.")
    with pytest.raises(StaleReplyError) as caught:
        _reply(session, ticket, liaison, ReplyInput("Merci.", seen_message_id=seen))
    assert [m.direction for m in caught.value.newer] == [Direction.IN, Direction.NOTE]
    assert session.query(OutboxMail).count() == 0
    newest = max(m.id for m in ticket.messages)
    _reply(session, ticket, liaison, ReplyInput("Merci.", seen_message_id=newest))
    assert session.query(OutboxMail).count() == 1


def test_my_own_messages_do_not_make_my_view_stale(session, create_ticket, make_user):
    liaison = make_user(languages=("fr",))
    ticket = create_ticket("fr")
    seen = ticket.messages[-1].id
    with unit_of_work(session):
        add_note(session, ticket, liaison, "Pour moi.")
    _reply(session, ticket, liaison, ReplyInput("Merci.", seen_message_id=seen))
    assert session.query(OutboxMail).count() == 1


def test_a_note_keeps_its_attachments_and_is_never_signed_nor_mailed(
    app, session, create_ticket, make_user
):
    liaison = make_user(languages=("fr",))
    with unit_of_work(session):
        save_signatures(session, liaison, {"fr": "Camille"})
    store = blob_store(app.config, "attachments")
    ticket = create_ticket("fr")
    with unit_of_work(session):
        note = add_note(
            session,
            ticket,
            liaison,
            "Capture d'écran.",
            (OutgoingAttachment.cleaned("écran.png", "image/png", b"\x89PNG"),),
            store,
        )
    assert note.text == "Capture d'écran."
    assert session.get(Message, note.id).attachments[0].filename == "écran.png"
    assert session.query(OutboxMail).count() == 0
