"""Mail about a staff account (a password reset link), queued in the durable outbox."""

from __future__ import annotations

from ..db_session import DbSession
from ..models import OutboxMail, User
from .outgoing_mail import MailSettings, OutgoingMail, compose, new_message_id


def queue_account_mail(
    session: DbSession, user: User, subject: str, text: str, settings: MailSettings
) -> OutboxMail:
    """Queue ``text`` (rendered by the caller in the user's language) to the user's own address;
    the outbox worker sends it only once the caller's transaction commits."""
    return queue_notice(session, user.email, user.name, user.locale, subject, text, settings)


def queue_notice(
    session: DbSession,
    address: str,
    name: str,
    language: str | None,
    subject: str,
    text: str,
    settings: MailSettings,
) -> OutboxMail:
    """An automatic mail from the helpdesk itself (reset links, invitations, digests), written
    right to left for Arabic, through the outbox like every mail."""
    mail = OutboxMail(
        message=None,
        mail_from=settings.mail_from,
        recipients=address,
        content=compose(
            OutgoingMail(
                message_id=new_message_id(settings.domain),
                sender_name="Polyglot Desk",
                sender_address=settings.mail_from,
                recipient_name=name,
                recipient_address=address,
                subject=subject,
                text=text,
                language=language,
                automatic=True,
                direction="rtl" if (language or "").startswith("ar") else "ltr",
            )
        ),
    )
    session.add(mail)
    session.flush()
    return mail
