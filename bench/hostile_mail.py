"""Mail crafted to hurt a parser, generated here (nothing hostile is stored in the repository).
Each is a well-formed envelope around one attack, with a real sender, so that only the attack
can decide its fate."""

from __future__ import annotations

from collections.abc import Callable

MB = 1 << 20


def _lines(data: bytes, width: int = 900) -> bytes:
    """Cut into lines SMTP carries (at most 998 bytes); HTML and text read the same."""
    return b"\r\n".join(data[i : i + width] for i in range(0, len(data), width)) + b"\r\n"


def _message(name: str, headers: str, body: bytes) -> bytes:
    head = (
        f"From: Crafted <crafted@attacker.example>\r\n"
        f"To: help@example.org\r\n"
        f"Subject: crafted {name}\r\n"
        f"Message-ID: <crafted.{name}@attacker.example>\r\n"
        f"Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"
        f"MIME-Version: 1.0\r\n{headers}\r\n"
    )
    return head.encode() + body


def html_nested() -> bytes:
    """An HTML body of 200,000 nested elements (sanitizers and tree builders recurse)."""
    depth = 200_000
    body = b"<html><body>" + b"<div>" * depth + b"deep text" + b"</div>" * depth + b"</body></html>"
    return _message("html-nested", "Content-Type: text/html; charset=utf-8\r\n", _lines(body))


def qp_soft_breaks() -> bytes:
    """30 MB of quoted-printable soft line breaks: nothing to decode, a lot of work and memory."""
    body = b"=\r\n" * (10 * MB) + b"end\r\n"
    headers = (
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
    )
    return _message("qp-soft-breaks", headers, body)


def multipart_deep(depth: int = 2_000) -> bytes:
    """Multiparts nested 2,000 deep, readable text at the bottom."""
    opening = b"".join(
        f"--b{n}\r\nContent-Type: multipart/mixed; boundary=b{n + 1}\r\n\r\n".encode()
        for n in range(depth)
    )
    closing = b"".join(f"\r\n--b{n}--\r\n".encode() for n in reversed(range(depth + 1)))
    bottom = f"--b{depth}\r\nContent-Type: text/plain\r\n\r\nText at the bottom.".encode()
    return _message(
        "multipart-deep",
        "Content-Type: multipart/mixed; boundary=b0\r\n",
        opening + bottom + closing,
    )


def rfc822_deep(depth: int = 200) -> bytes:
    """message/rfc822 nested 200 deep, readable text at the bottom."""
    inner = b"From: a@example.com\r\nSubject: bottom\r\n\r\nText at the bottom.\r\n"
    for n in range(depth):
        inner = (
            f"From: level{n}@example.com\r\nSubject: level {n}\r\n"
            "Content-Type: message/rfc822\r\n\r\n"
        ).encode() + inner
    return _message("rfc822-deep", "Content-Type: message/rfc822\r\n", inner)


def many_parts(count: int = 50_000) -> bytes:
    """One multipart with 50,000 small parts."""
    parts = b"".join(
        f"--p\r\nContent-Type: text/plain\r\n\r\npart {n}\r\n".encode() for n in range(count)
    )
    return _message(
        "many-parts", "Content-Type: multipart/mixed; boundary=p\r\n", parts + b"--p--\r\n"
    )


def many_attachments(count: int = 2_000) -> bytes:
    """2,000 base64 attachments of 8 KB each."""
    chunk = _lines(b"QUJD" * 2048, 76)
    parts = b"".join(
        (
            f"--a\r\nContent-Type: application/octet-stream\r\n"
            f'Content-Disposition: attachment; filename="f{n}.bin"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        + chunk
        for n in range(count)
    )
    body = b"--a\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" + parts + b"--a--\r\n"
    return _message("many-attachments", "Content-Type: multipart/mixed; boundary=a\r\n", body)


def long_headers() -> bytes:
    """20,000 Received headers, a 1 MB folded Subject, 50,000 recipients, 100,000 references."""
    received = "".join(
        f"Received: from hop{n}.example by hop{n + 1}.example\r\n" for n in range(20_000)
    )
    subject = "Subject-Extra: " + "\r\n ".join(["=?utf-8?q?caf=C3=A9?="] * 50_000) + "\r\n"
    cc = "Cc: " + ",\r\n ".join(f"r{n}@example.net" for n in range(50_000)) + "\r\n"
    refs = "References: " + "\r\n ".join(f"<r{n}@example.net>" for n in range(100_000)) + "\r\n"
    return _message("long-headers", received + subject + cc + refs, b"Body after long headers.\r\n")


def long_paragraph() -> bytes:
    """20 MB of text in one paragraph, no blank line and no quoting to split it at."""
    words = b" ".join(b"word%d" % (n % 1000) for n in range(3_000_000))
    return _message("long-paragraph", "Content-Type: text/plain\r\n", _lines(words[: 20 * MB], 990))


def html_wide() -> bytes:
    """One element with 100,000 attributes and 5 MB of flat markup."""
    attributes = b"\r\n".join(b"a%d='v'" % n for n in range(100_000))
    body = b"<p " + attributes + b">x</p>\r\n" + _lines(b"<span>y</span>" * 350_000, 896)
    return _message("html-wide", "Content-Type: text/html; charset=utf-8\r\n", body)


def encoded_words() -> bytes:
    """A Subject of 100,000 RFC 2047 encoded words."""
    words = "\r\n ".join(["=?utf-8?b?w6k=?="] * 100_000)
    return _message(
        "encoded-words", f"Subject-Long: {words}\r\nX-Subject: {words}\r\n", b"body\r\n"
    )


CRAFTED: dict[str, Callable[[], bytes]] = {
    "html-nested-200000": html_nested,
    "qp-soft-breaks-30MB": qp_soft_breaks,
    "multipart-nested-2000": multipart_deep,
    "rfc822-nested-200": rfc822_deep,
    "many-parts-50000": many_parts,
    "attachments-2000": many_attachments,
    "long-headers": long_headers,
    "long-paragraph-20MB": long_paragraph,
    "html-wide": html_wide,
    "encoded-words-100000": encoded_words,
}
