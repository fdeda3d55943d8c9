"""Separating a reply's new text from the quoted history and signature below it."""

from __future__ import annotations

import re

# Attribution lines that introduce quoted history, in the languages we serve.
_ATTRIBUTION = re.compile(
    r"^\s*("
    r"On .{0,200} wrote:|"
    r"Le .{0,200} a écrit\s?:|"
    r"Am .{0,200} schrieb .{0,200}:|"
    r"El .{0,200} escribió:|"
    r"Em .{0,200} escreveu:|"
    r"-{2,}\s*(Original Message|Message d'origine|Ursprüngliche Nachricht|"
    r"Mensaje original|Mensagem original|Исходное сообщение)\s*-{2,}|"
    r".{0,200}написал\(а\)?:|"
    r".{0,100}في .{0,200} كتب:|"
    r"在.{0,200}写道[:：]|"
    r".{0,200}のメッセージ[:：]|"
    r"From: .{1,200}"
    r")\s*$",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^-- ?$")


def split_quoted(text: str) -> tuple[str, str]:
    """(new text, quoted history). Stops at an attribution line, a signature marker, or the
    first run of '>' lines that nothing new follows."""
    lines = text.replace("\r\n", "\n").split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        if _ATTRIBUTION.match(line) or _SIGNATURE.match(line):
            cut = index
            break
    if cut == len(lines):
        trailing = len(lines)
        while trailing > 0 and (
            lines[trailing - 1].startswith(">") or not lines[trailing - 1].strip()
        ):
            trailing -= 1
        cut = trailing
    new_lines = [line for line in lines[:cut] if not line.startswith(">")]
    new = "\n".join(new_lines).strip()
    quoted = "\n".join(lines[cut:]).strip()
    if not new:  # all quote: better to show everything than nothing
        return text.strip(), ""
    return new, quoted
