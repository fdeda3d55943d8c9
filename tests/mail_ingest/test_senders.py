"""Salvaging the sender: every broken form real mail uses, and hostile display names."""

import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mail_ingest.parsing import parse_message
from mail_ingest.senders import (
    MAX_NAME_CHARS,
    is_plausible_address,
    parse_mailbox,
    recipient_addresses,
)


@pytest.mark.parametrize(
    ("value", "address", "name"),
    [
        ('"Joe Bloggs" <Joe@Example.org>', "joe@example.org", "Joe Bloggs"),
        ("joe@x.org (Joe Bloggs)", "joe@x.org", "Joe Bloggs"),
        # a display name without quotes before a bare address
        ("Test test@example.com", "test@example.com", "Test"),
        # stray quotes and angle brackets
        ('"Joe" <"joe@x.org">', "joe@x.org", "Joe"),
        ("Joe <joe@x.org", "joe@x.org", "Joe"),
        ("<joe@x.org> Joe", "joe@x.org", "Joe"),
        ('Joe" <joe@x.org>', "joe@x.org", "Joe"),
        ('"joe@x.org"', "joe@x.org", ""),
        ("<mailto:joe@x.org>", "joe@x.org", ""),
        ("joe@x.org.", "joe@x.org", ""),
        # an address in the display name never wins over the one in angle brackets
        ('"a@b.org" <c@d.org>', "c@d.org", "a@b.org"),
        ("alice@example.com <bob@example.com>", "bob@example.com", "alice@example.com"),
        ('"evil@attacker.example, <evil@attacker.example>" <real@x.org>', "real@x.org", None),
        # an encoded word hiding a comma, or a whole address, is only ever a name
        ("=?utf-8?q?Doe,_John?= <j@x.org>", "j@x.org", "Doe, John"),
        ("=?utf-8?b?PGV2aWxAYXR0YWNrZXIuZXhhbXBsZT4=?= <real@x.org>", "real@x.org", None),
        # international addresses (RFC 6532), raw UTF-8 bytes as the parser sees them
        (
            "Jörg <jörg@bücher.de>".encode().decode("ascii", "surrogateescape"),
            "jörg@bücher.de",
            "Jörg",
        ),
        ("joe@[192.0.2.1]", "joe@[192.0.2.1]", ""),
    ],
)
def test_an_address_is_salvaged(value, address, name):
    found, found_name = parse_mailbox(value)
    assert found == address
    if name is not None:
        assert found_name == name


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("MAILER-DAEMON", "MAILER-DAEMON"),
        ("<MAILER-DAEMON>", "MAILER-DAEMON"),
        ("<>", ""),
        ("Joe <>", "Joe"),
        ('"a@b" <c@d>', "a@b"),  # no plausible domain on either side: no address, a name
        ("=?utf-8?b?PGV2aWxAYXR0YWNrZXIuZXhhbXBsZT4=?=", "evil@attacker.example"),
        ("undisclosed-recipients:;", "undisclosed-recipients"),
    ],
)
def test_no_address_but_a_name(value, name):
    assert parse_mailbox(value) == ("", name)


@pytest.mark.parametrize(
    "address",
    ["joe@localhost", "joe@192.0.2.1", "joe@-x.org", "jo e@x.org", "a@b@c.org", "joe@x..org",
     "joe\x00@x.org", "joe@x.org\u202e", "\ufffd@x.org", "a" * 65 + "@x.org",
     "a@" + "b" * 64 + ".org", "joe@[300.1.1.1]", "(joe)@x.org"],
)  # fmt: skip
def test_implausible_addresses_are_refused(address):
    assert not is_plausible_address(address)


def test_control_characters_and_reordering_are_removed_from_the_name():
    _, name = parse_mailbox("Jo\x07e\x1b[31m \u202eevil\u202c\u2066 <joe@x.org>")
    assert name == "Joe[31m evil"
    _, name = parse_mailbox("=?utf-8?q?Line_one=0D=0ABcc:_x@y.org=00?= <z@w.org>")
    assert name == "Line one Bcc: x@y.org"


def test_huge_and_deeply_nested_values_are_bounded():
    started = time.perf_counter()
    address, name = parse_mailbox("x" * 1_000_000 + " <big@x.org>")
    assert (address, len(name)) == ("big@x.org", MAX_NAME_CHARS)
    # the stdlib's parser recurses once per "(" or ":" (RecursionError at 1,000)
    assert parse_mailbox("(" * 3000 + "<a@b.org>")[0] == "a@b.org"
    assert parse_mailbox(":" * 3000 + "a@b.org")[0] == "a@b.org"
    assert recipient_addresses(["(" * 3000 + "help@example.org"]) == ["help@example.org"]
    for junk in ('"' * 1_000_001, "a@" * 500_000, "<a@" * 300_000, "=?utf-8?q?" + "a" * 10**6):
        assert parse_mailbox(junk)[0] == ""
    assert time.perf_counter() - started < 5


def test_the_headers_are_tried_in_order():
    def sender(headers):
        parsed = parse_message(headers + b"Subject: s\r\n\r\nbody")
        return parsed.from_email, parsed.from_name

    assert sender(b"From: MAILER-DAEMON\r\nReturn-Path: <>\r\n") == ("", "MAILER-DAEMON")
    assert sender(b"From: Joe\r\nSender: joe@x.org\r\n") == ("joe@x.org", "Joe")
    assert sender(b"From: <>\r\nReply-To: Ann <ann@x.org>\r\nSender: s@x.org\r\n") == (
        "s@x.org",
        "",
    )
    assert sender(b"From: Ann <ann>\r\nReply-To: Ann <ann@x.org>\r\n") == ("ann@x.org", "Ann")
    assert sender(b"Return-Path: <bounce@x.org>\r\n") == ("bounce@x.org", "")
    assert sender(b"X-Original-From: Ann <ann@x.org>\r\n") == ("ann@x.org", "Ann")
    # a Received "for" names a recipient: never taken as the sender
    assert sender(b"Received: from mx by mx2 for <help@example.org>; Mon, 1 Jan 2024\r\n") == (
        "",
        "",
    )


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_header_value_gives_a_valid_address_or_none(value):
    address, name = parse_mailbox(value)
    assert address == "" or is_plausible_address(address)
    assert len(name) <= MAX_NAME_CHARS
    assert not any(unicodedata.category(c) == "Cc" for c in name)
    assert name == " ".join(name.split())
