"""The parser: decoding, bodies, quotes, sanitizing, hostile input."""

from pathlib import Path

import pytest

from mail_ingest.html_text import sanitize_html
from mail_ingest.parsing import MailParseError, dedup_key, parse_message
from mail_ingest.quoting import split_quoted
from mail_ingest.senders import is_plausible_address

from ..factories import make_mail

HOSTILE = sorted((Path(__file__).parents[1] / "data" / "mail").glob("*.eml"))


def test_wrong_declared_charset_still_decodes():
    body = (
        "Здравствуйте! Когда следующая встреча волонтёров? Мы хотели бы помочь с организацией."
    ).encode("koi8-r")
    raw = (
        b"From: Ivan <ivan@example.ru>\r\nTo: help@example.org\r\nSubject: test\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body
    )
    parsed = parse_message(raw)
    assert "встреча" in parsed.text


def test_unknown_charset_name_does_not_raise():
    raw = (
        b"From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=x-nonsense\r\n"
        b"\r\nplain ascii text"
    )
    assert parse_message(raw).text == "plain ascii text"


def test_encoded_subject_and_sender_name_are_decoded():
    raw = (
        b"From: =?utf-8?b?w4lsb2RpZSBNYXJ0aW4=?= <elodie@example.fr>\r\n"
        b"Subject: =?iso-8859-1?q?R=E9union_de_samedi?=\r\n\r\nBonjour"
    )
    parsed = parse_message(raw)
    assert parsed.from_name == "Élodie Martin"
    assert parsed.subject == "Réunion de samedi"


def test_html_only_mail_gets_text_and_a_sanitized_copy():
    raw = (
        b"From: a@example.com\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>Hello <b>there</b></p><script>alert(1)</script>"
        b"<img src='https://tracker.example/p.gif'><a href='javascript:alert(1)'>x</a>"
    )
    parsed = parse_message(raw)
    assert parsed.text == "Hello there\nx"
    assert "<script" not in parsed.html
    assert 'src="https://tracker.example' not in parsed.html  # kept, but never loadable
    assert '<img src="x-remote-image:https://tracker.example/p.gif">' in parsed.html
    assert "javascript:" not in parsed.html


def test_inline_images_keep_their_content_id():
    raw = (
        b"From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b'<p>Logo: <img src="cid:logo@x" onerror="alert(1)" alt="logo"></p>\r\n'
        b"--b\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\n--b--\r\n"
    )
    parsed = parse_message(raw)
    assert '<img src="cid:logo@x" alt="logo">' in parsed.html
    [image] = parsed.attachments
    assert image.content_id == "logo@x"


def test_sanitizer_drops_event_handlers_and_styles():
    cleaned = sanitize_html('<p onclick="x()" style="color:red">a</p><style>p{}</style>')
    assert cleaned == "<p>a</p>"


def test_quoted_history_is_separated_from_the_new_text():
    new, quoted = split_quoted(
        "Obrigado, chego às 10h.\n\nOn Mon, 3 Mar 2025, Liaison wrote:\n> When do you arrive?"
    )
    assert new == "Obrigado, chego às 10h."
    assert quoted.startswith("On Mon")


def test_attachment_file_name_is_made_safe():
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = "a@example.com"
    mail["Subject"] = "file"
    mail.set_content("see attached")
    mail.add_attachment(
        b"%PDF-1.4", maintype="application", subtype="pdf", filename="../../etc/passwd\x07.pdf"
    )
    [attachment] = parse_message(mail.as_bytes()).attachments
    assert attachment.filename == "passwd.pdf"
    assert attachment.content == b"%PDF-1.4"


def test_threading_headers_are_extracted():
    parsed = parse_message(make_mail(in_reply_to="<a@x>", references="<r@x> <a@x>"))
    assert parsed.in_reply_to == "<a@x>"
    assert parsed.references == ("<r@x>", "<a@x>")


def test_auto_replies_are_recognised():
    parsed = parse_message(make_mail(extra_headers={"Auto-Submitted": "auto-replied"}))
    assert parsed.automatic
    assert not parse_message(make_mail()).automatic


def test_mail_without_a_sender_is_read_with_no_reply_address():
    parsed = parse_message(b"Subject: who am I\r\n\r\nbody")
    assert (parsed.from_email, parsed.from_name, parsed.text) == ("", "", "body")


def test_bytes_that_are_not_mail_are_an_error():
    with pytest.raises(MailParseError, match="not a mail message"):
        parse_message(b"Hello\n\nSent from my iPhone\n")
    with pytest.raises(MailParseError, match="nothing to read"):
        parse_message(b"MIME-Version: 1.0\r\n\r\n")


def test_dedup_key_is_message_id_and_content_hash():
    assert dedup_key(make_mail(message_id="<k@example.com>")).startswith("<k@example.com> ")
    anonymous = b"From: a@example.com\r\n\r\nbody"
    assert dedup_key(anonymous) == dedup_key(anonymous)
    assert dedup_key(anonymous) != dedup_key(anonymous + b"!")


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_hostile_mail_parses_or_fails_with_a_reason(path):
    data = path.read_bytes()
    try:
        parsed = parse_message(data)
    except MailParseError as error:
        assert str(error)
    else:
        assert parsed.from_email == "" or is_plausible_address(parsed.from_email)
        assert isinstance(parsed.text, str)


def test_forwarded_message_is_kept_as_eml_and_its_text_shown():
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["From"] = "Jeanne <jeanne@example.fr>"
    inner["Subject"] = "Inscription bénévole"
    inner.set_content("Bonjour, je voudrais m'inscrire comme bénévole pour le festival.")
    outer = EmailMessage()
    outer["From"] = "Colleague <colleague@example.org>"
    outer["Subject"] = "Fwd: Inscription bénévole"
    outer.set_content("Can someone who reads French take this one?")
    outer.add_attachment(inner)
    parsed = parse_message(outer.as_bytes())
    assert parsed.text.startswith("Can someone who reads French take this one?")
    assert "je voudrais m'inscrire" in parsed.text
    [attachment] = parsed.attachments
    assert attachment.filename == "Inscription bénévole.eml"
    assert attachment.content_type == "message/rfc822"
    assert b"jeanne@example.fr" in attachment.content


def test_bounce_reports_the_original_message_id():
    from ..core.test_machine_mail import dsn

    parsed = parse_message(dsn("<reply-1@example.org>"))
    assert parsed.automatic
    assert parsed.bounce.original_message_id == "<reply-1@example.org>"
    assert "5.1.1" in parsed.bounce.reason


def test_a_delay_report_is_machine_mail_but_not_a_bounce():
    from ..core.test_machine_mail import dsn

    delayed = (
        dsn("<reply-1@example.org>")
        .replace(b"Action: failed", b"Action: delayed")
        .replace(b"Status: 5.1.1", b"Status: 4.4.7")
        .replace(b"550 5.1.1", b"451 4.4.7")
    )
    parsed = parse_message(delayed)
    assert parsed.automatic
    assert parsed.bounce is None
