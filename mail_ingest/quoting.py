"""Separating a reply's new text from the quoted history and the signature below it.

The new text is what the requester wrote now: it is what liaisons read first and what language
detection looks at (a Portuguese reply above quoted English history is Portuguese)."""

from __future__ import annotations

import re

# "On <date>, <name> wrote:" in the forms mail clients write it, in the languages we serve.
_ATTRIBUTION = re.compile(
    r"^\s*(?:"
    r"(?:On|Le|Am|El|Em|Il|Op|W dniu)\s.{0,240}(?:wrote|a écrit|schrieb|escribió|escreveu|"
    r"ha scritto|schreef|napisał)\s*:?"
    r"|.{0,240}(?:написал|написала|написал\(а\)|пишет)\s*:"
    # "пн, 3 мар. 2025 г. в 10:02, X <a@b>:" and Japanese Gmail's "2025年3月3日(月) 10:02 X <a@b>:"
    r"|.{0,240}\d{1,2}:\d{2}.{0,160}<[^<>\s]+@[^<>\s]+>\s*[:：]"
    r"|.{0,240}(?:كتب|وكتب)\s*[:：]"
    r"|.{0,240}(?:ने लिखा|लिखा)\s*[:：]"
    r"|在.{0,240}写道\s*[:：]"
    r"|.{0,240}(?:のメッセージ|さんは書きました|wrote)\s*[:：]"
    r")\s*$",
    re.IGNORECASE,
)
# The same attribution wrapped over two lines by the client ("On Mon, ... Desk <" / "a@b> wrote:").
_ATTRIBUTION_START = re.compile(r"^\s*(?:On|Le|Am|El|Em|Il|Op|在)\s.{5,}$", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:Original Message|Message d'origine|Ursprüngliche Nachricht|"
    r"Mensaje original|Mensagem original|Исходное сообщение|原始邮件|元のメッセージ|"
    r"الرسالة الأصلية)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
# Where a forwarded message begins below the forwarder's own words (Gmail, Thunderbird, Apple
# Mail). The marker itself is the client's wording, not the sender's: it must not count as new
# text, or "Forwarded message" makes a Russian note look partly English.
_FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*(?:Forwarded message|Message transféré|Weitergeleitete Nachricht|"
    r"Mensaje reenviado|Mensagem encaminhada|Пересылаемое сообщение|Пересланное сообщение|"
    r"転送されたメッセージ|转发的邮件|已转发邮件|轉寄的郵件|الرسالة المعاد توجيهها|"
    r"फ़ॉरवर्ड किया गया संदेश)\s*-{2,}"
    r"|(?:Begin forwarded message|Début du message réexpédié|"
    r"Anfang der weitergeleiteten Nachricht|Inicio del mensaje reenviado|"
    r"Início da mensagem reencaminhada|Início da mensagem encaminhada|"
    r"Начало переадресованного сообщения|転送されたメッセージ|转发的邮件)\s*[:：])\s*$",
    re.IGNORECASE,
)
# Outlook's header block: a From line soon followed by a Sent/Date line.
_HEADER_FROM = re.compile(
    r"^\s*\*?(?:From|De|Von|Van|Da|От|Від|差出人|发件人|寄件者|من|प्रेषक)\s*\*?\s*[:：]\s*\S",
    re.IGNORECASE,
)
_HEADER_SENT = re.compile(
    r"^\s*\*?(?:Sent|Date|Envoyé|Gesendet|Datum|Enviado|Enviada|Enviado el|Inviato|Verzonden|"
    r"Отправлено|Дата|送信日時|日時|发送时间|發送時間|日期|التاريخ|أرسل|भेजा गया)"
    r"(?:\s+\w+)?\s*\*?\s*[:：]",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(?:-- ?|--|"
    r"(?:Sent from my|Envoyé de mon|Envoyé depuis mon|Von meinem|Gesendet von meinem|"
    r"Enviado desde mi|Enviado do meu|Enviado de meu|Отправлено с|Отправлено из|"
    r"从我的|iPhoneから送信).{0,60})$",
    re.IGNORECASE,
)

_MARKERS = (_ATTRIBUTION, _SEPARATOR, _FORWARD_MARKER, _SIGNATURE)


def _cut_index(lines: list[str]) -> int:
    """Where the quoted history (or the signature) begins."""
    for index, line in enumerate(lines):
        if any(marker.match(line) for marker in _MARKERS):
            return index
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _ATTRIBUTION_START.match(line) and _ATTRIBUTION.match(f"{line} {following}"):
            return index
        if _HEADER_FROM.match(line) and any(
            _HEADER_SENT.match(candidate) for candidate in lines[index + 1 : index + 4]
        ):
            return index
    trailing = len(lines)  # no marker: a final block of "> " lines is history
    while trailing > 0 and (lines[trailing - 1].startswith(">") or not lines[trailing - 1].strip()):
        trailing -= 1
    return trailing


def split_quoted(text: str) -> tuple[str, str]:
    """(new text, quoted history and signature). Interleaved '>' lines never count as new.
    A forwarded message is not history: what was forwarded is the request."""
    lines = text.replace("\r\n", "\n").split("\n")
    cut = _cut_index(lines)
    new = "\n".join(line for line in lines[:cut] if not line.startswith(">")).strip()
    quoted = "\n".join(lines[cut:]).strip()
    if not new:  # all of it quoted (a bare forward, say): better to show everything than nothing
        return text.strip(), ""
    return new, quoted
