"""The MIME limits of mail_ingest.limits: what is over them is dropped and said so, what is
readable still makes a ticket, and nothing readable at all is a clear MailParseError."""

import pytest

from mail_ingest import limits
from mail_ingest.parsing import MailParseError, parse_message

HEAD = b"From: a@example.org\r\nSubject: s\r\nMessage-ID: <m@example.org>\r\nMIME-Version: 1.0\r\n"


def test_runs_of_quoted_printable_soft_breaks_lose_nothing():
    data = (
        HEAD + b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"hel=\r\n" + b"=\r\n" * 1000 + b"lo w=C3=B6rld\r\n"
    )
    parsed = parse_message(data)
    assert parsed.text == "hello wörld"
    assert parsed.dropped == ()


def test_lines_past_the_limit_are_cut_and_noted(monkeypatch):
    monkeypatch.setattr(limits, "MAX_LINES", 100)
    data = HEAD + b"Content-Type: text/plain\r\n\r\nfirst line\r\n" + b"x\r\n" * 500 + b"last\r\n"
    parsed = parse_message(data)
    assert parsed.text.startswith("first line") and "last" not in parsed.text
    assert any("lines after the first 100" in note for note in parsed.dropped)


def test_a_text_too_long_for_a_ticket_is_kept_whole_as_a_file(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_LINES", 50)
    body = "".join(f"line {n}\r\n" for n in range(200)).encode()
    parsed = parse_message(HEAD + b"Content-Type: text/plain\r\n\r\n" + body)
    assert "line 49" in parsed.text and "line 150" not in parsed.text
    [kept] = parsed.attachments
    assert kept.filename == "message.txt" and kept.content == body


def test_parts_nested_too_deep_are_read_flat():
    depth = limits.MAX_MIME_DEPTH * 3
    opening = b"".join(
        b'--b%d\r\nContent-Type: multipart/alternative; boundary="b%d"\r\n\r\n' % (n, n + 1)
        for n in range(depth)
    )
    data = (
        HEAD
        + b'Content-Type: multipart/mixed; boundary="b0"\r\n\r\n'
        + opening
        + b"--b%d\r\nContent-Type: text/plain\r\n\r\nat the bottom\r\n" % depth
        + b"--b%d\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment;"
        b' filename="deep.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n'
        % depth
        + b"".join(b"--b%d--\r\n" % n for n in range(depth, -1, -1))
    )
    parsed = parse_message(data)
    assert parsed.text == "at the bottom"
    assert [(a.filename, a.content) for a in parsed.attachments] == [("deep.pdf", b"%PDF")]


def test_nothing_readable_within_the_limits_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PARTS", 1)
    data = (
        HEAD + b'Content-Type: multipart/mixed; boundary="x"\r\n\r\n'
        b"--x\r\nContent-Type: text/plain\r\n\r\nunread\r\n--x--\r\n"
    )
    with pytest.raises(MailParseError, match="nothing readable within the limits"):
        parse_message(data)


def test_header_fields_past_the_limit_keep_the_ones_the_parser_reads(monkeypatch):
    monkeypatch.setattr(limits, "MAX_HEADER_FIELDS", 10)
    junk = b"".join(b"X-Junk-%d: %d\r\n" % (n, n) for n in range(50))
    data = junk + b"From: late@example.org\r\nSubject: late subject\r\n\r\nbody\r\n"
    parsed = parse_message(data)
    assert (parsed.from_email, parsed.subject, parsed.text) == (
        "late@example.org",
        "late subject",
        "body",
    )
    assert any("header fields" in note for note in parsed.dropped)
