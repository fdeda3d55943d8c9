"""What the ingester makes of a message, for admins puzzling over a strange mail; stores nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from .parsing import MailParseError, parse_message


@dataclass(frozen=True)
class InspectionReport:
    file: str
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    from_email: str | None = None
    from_name: str | None = None
    to: list[str] = field(default_factory=list)
    subject: str | None = None
    date: str | None = None
    content_language: str | None = None
    text: str | None = None
    quoted: str | None = None
    attachments: list[str] = field(default_factory=list)
    automatic: bool = False
    bounce: bool = False
    bounced_message_id: str | None = None
    error: str | None = None

    def describe(self) -> str:
        if self.error:
            return f"{self.file}: cannot be processed: {self.error}\n"
        lines = [
            f"{self.file}",
            f"  From:        {self.from_name} <{self.from_email or 'no usable address'}>",
            f"  Subject:     {self.subject}",
            f"  Message-ID:  {self.message_id}",
            f"  In-Reply-To: {self.in_reply_to or '-'}",
            f"  Machine mail: {'yes' if self.automatic else 'no'}"
            + (
                f" (bounce of {self.bounced_message_id or 'an unknown message'})"
                if self.bounce
                else ""
            ),
            f"  Attachments: {', '.join(self.attachments) or '-'}",
            "  New text:",
            *(f"    {line}" for line in (self.text or "").splitlines()),
        ]
        if self.quoted:
            lines.append(f"  Quoted history: {len(self.quoted.splitlines())} lines")
        return "\n".join(lines) + "\n"


def inspect_message(source: str, data: bytes) -> InspectionReport:
    try:
        parsed = parse_message(data)
    except MailParseError as error:
        return InspectionReport(file=source, error=str(error))
    except Exception as error:  # noqa: BLE001 - an inspection tool reports, it never crashes
        return InspectionReport(file=source, error=f"{type(error).__name__}: {error}")
    return InspectionReport(
        file=source,
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        references=list(parsed.references),
        from_email=parsed.from_email,
        from_name=parsed.from_name,
        to=list(parsed.to),
        subject=parsed.subject,
        date=parsed.sent_at.isoformat() if parsed.sent_at else None,
        content_language=parsed.content_language,
        text=parsed.text,
        quoted=parsed.quoted_text,
        attachments=[a.filename for a in parsed.attachments],
        automatic=parsed.automatic,
        bounce=parsed.bounce is not None,
        bounced_message_id=parsed.bounce.original_message_id if parsed.bounce else None,
    )
