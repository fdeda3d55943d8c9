"""Mail crafted to stall a parser (see README.md, "Crafted to hurt"). Standard library only.

Small ones are committed through generate.py (``CRAFTED``); the big ones are written on demand
by tests (``BIG``), each with the facts a bounded parser must still extract.
"""

from __future__ import annotations

HELP = "Polyglot Desk <help@example.org>"
_DATE = "Mon, 17 Mar 2025 09:00:00 +0000"


def _head(name: str, content_type: str, *extra: str, sender: str = "") -> bytes:
    lines = [
        f"From: {sender or 'Mallory Crafter <mallory@example.net>'}",
        f"To: {HELP}",
        f"Subject: Crafted: {name}",
        f"Date: {_DATE}",
        f"Message-ID: <crafted-{name}@example.net>",
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _facts(name: str, text_contains, attachments=(), **extra) -> dict:
    return {
        "from_email": "mallory@example.net",
        "subject": f"Crafted: {name}",
        "text_contains": list(text_contains),
        "attachments": list(attachments),
        "automatic": False,
        "bounce": False,
        "has_message_id": True,
        "bounced_message_id": None,
        **extra,
    }


def deep_html(depth: int = 20_000):
    """HTML nested ``depth`` elements deep: tree builders are quadratic in depth."""
    body = (
        b"<html><body><p>Please reset my password, the link has expired.</p>"
        + b"<div>" * depth
        + b"bottom of the nesting"
        + b"</div>" * depth
        + b"</body></html>\r\n"
    )
    name = f"deep-html-{depth}"
    return _head(name, "text/html; charset=utf-8") + body, _facts(
        name,
        ["Please reset my password", "bottom of the nesting"],
        ["message.html"],
        dropped_contains=["no formatted copy"],
    )


def marked_section():
    """A broken ``<![`` marked section: the stdlib html.parser raised AssertionError on it."""
    body = (
        b"<html><body><p>Please check my order 4711.</p>"
        b"<![if !supportLists]><p>Outlook list item</p><![endif]>"
        b"<p>Text after the marked section.</p><![ broken <p>and at the end</p>"
        b"</body></html>\r\n"
    )
    return _head("marked-section", "text/html; charset=utf-8") + body, _facts(
        "marked-section",
        ["Please check my order 4711", "Text after the marked section"],
        html_contains=["Please check my order 4711"],
    )


def deep_multipart(depth: int = 2_000):
    """Multiparts nested ``depth`` deep with the only text at the bottom."""
    out = [_head("deep-multipart", 'multipart/mixed; boundary="b0"')]
    for level in range(depth):
        out.append(
            f'--b{level}\r\nContent-Type: multipart/mixed; boundary="b{level + 1}"\r\n\r\n'.encode()
        )
    out.append(
        f"--b{depth}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        f"My parcel never arrived, please help.\r\n--b{depth}--\r\n".encode()
    )
    out.extend(f"--b{level}--\r\n".encode() for level in range(depth - 1, -1, -1))
    return b"".join(out), _facts("deep-multipart", ["My parcel never arrived"])


def deep_rfc822(depth: int = 200):
    """message/rfc822 nested ``depth`` deep, each level a note plus the enclosed message."""
    inner = (
        b"From: origin@example.net\r\nSubject: the original\r\n"
        b"Content-Type: text/plain\r\n\r\nThe original request at the bottom.\r\n"
    )
    for level in range(depth):
        inner = (
            (
                f"From: level{level}@example.net\r\nSubject: level {level}\r\nMIME-Version: 1.0\r\n"
                f'Content-Type: multipart/mixed; boundary="r{level}"\r\n\r\n--r{level}\r\n'
                f"Content-Type: text/plain\r\n\r\nForwarded at level {level}.\r\n--r{level}\r\n"
                "Content-Type: message/rfc822\r\n\r\n"
            ).encode()
            + inner
            + f"\r\n--r{level}--\r\n".encode()
        )
    head = _head("deep-rfc822", 'multipart/mixed; boundary="top"')
    body = (
        b"--top\r\nContent-Type: text/plain\r\n\r\nSee the chain of forwards below.\r\n"
        b"--top\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--top--\r\n"
    )
    top = depth - 1
    # Enclosed messages are kept as .eml files, and read, five levels deep.
    names = [f"level {level}.eml" for level in range(top, top - 6, -1)]
    return head + body, _facts(
        "deep-rfc822",
        ["See the chain of forwards below", f"Forwarded at level {top}."],
        names,
        forwarded=[{"text_contains": [f"Forwarded at level {top - 4}."]}],
    )


def many_parts(count: int = 5_000):
    """``count`` parts side by side: each costs a header parse, an object and maybe a file."""
    out = [_head("many-parts", 'multipart/mixed; boundary="p"')]
    out.append(b"--p\r\nContent-Type: text/plain\r\n\r\nI attach my receipts.\r\n")
    out.extend(
        f"--p\r\nContent-Type: text/plain\r\n\r\nfiller part {n}\r\n".encode() for n in range(count)
    )
    out.append(b"--p--\r\n")
    return b"".join(out), _facts(
        "many-parts", ["I attach my receipts"], dropped_contains=["parts after the first"]
    )


def many_headers(count: int = 20_000):
    """``count`` junk header fields before the From: every header look-up scans them all."""
    junk = "".join(f"X-Filler-{n}: {n}\r\n" for n in range(count)).encode()
    head = _head("many-headers", "text/plain; charset=us-ascii", sender="nobody")
    head = head.replace(b"From: nobody\r\n", junk + b"From: mallory@example.net\r\n")
    return head + b"Where do I send the signed form?\r\n", _facts(
        "many-headers", ["Where do I send the signed form"], dropped_contains=["header fields"]
    )


def qp_soft_breaks(megabytes: int = 30):
    """Quoted-printable text that is almost all soft line breaks ("=" CRLF): 964 MB to parse."""
    head = _head(
        "qp-soft-breaks",
        "text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
    )
    body = (
        b"My invoice is wrong, please call me.\r\n"
        + b"=\r\n" * (megabytes * 1024 * 1024 // 3)
        + b"Thank you.\r\n"
    )
    return head + body, _facts("qp-soft-breaks", ["My invoice is wrong", "Thank you."])


CRAFTED = {
    "crafted-deep-html.eml": deep_html,
    "crafted-marked-section.eml": marked_section,
    "crafted-deep-multipart.eml": deep_multipart,
    "crafted-deep-rfc822.eml": deep_rfc822,
    "crafted-many-parts.eml": many_parts,
    "crafted-many-headers.eml": many_headers,
}
# The full sizes, made by tests in a temporary folder (tens of MB, never committed).
BIG = {
    "qp-soft-breaks-30mb": qp_soft_breaks,
    "deep-html-200000": lambda: deep_html(200_000),
    "many-parts-20000": lambda: many_parts(20_000),
    "many-headers-500000": lambda: many_headers(500_000),
}
