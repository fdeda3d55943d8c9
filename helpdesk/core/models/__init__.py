"""All models, importable from one place (Alembic and the services need the full set)."""

from . import search as _search  # noqa: F401  (postings DDL with the schema)
from .accounts import PasswordResetToken, RecoveryCode, SignInFailure
from .audit import AuditAction, AuditEntry
from .base import Base, UTCDateTime, utcnow
from .blobs import Blob
from .contacts import Contact
from .events import EventKind, TicketEvent
from .heartbeats import WorkerHeartbeat
from .imap_accounts import ImapAccount
from .imap_checkpoints import ImapCheckpoint
from .invitations import Invitation
from .languages import AssignmentStrategy, Language
from .mailboxes import Mailbox
from .messages import Attachment, Direction, Message
from .outbox import OutboxMail, OutboxState
from .raw_mail import RawMail, RawMailState
from .settings import Setting
from .signatures import Signature
from .sla_policies import (
    DEFAULT_FIRST_RESPONSE_HOURS,
    DEFAULT_RESOLUTION_HOURS,
    DigestDelivery,
    SlaCalendarDay,
    SlaPolicy,
)
from .tags import TAG_NAME_MAX, Tag, ticket_tags
from .templates import (
    DEFAULT_SOURCE_LANGUAGE,
    ReplyTemplate,
    ReplyTemplateRevision,
    ReplyTemplateVariant,
)
from .ticket_timings import TicketTiming
from .ticket_views import TicketView
from .tickets import OPEN_STATUSES, Status, Ticket
from .users import Role, User, user_languages

__all__ = [
    "DEFAULT_FIRST_RESPONSE_HOURS",
    "DEFAULT_RESOLUTION_HOURS",
    "DEFAULT_SOURCE_LANGUAGE",
    "OPEN_STATUSES",
    "TAG_NAME_MAX",
    "AssignmentStrategy",
    "Attachment",
    "AuditAction",
    "AuditEntry",
    "Base",
    "Blob",
    "Contact",
    "DigestDelivery",
    "Direction",
    "EventKind",
    "ImapAccount",
    "ImapCheckpoint",
    "Invitation",
    "Language",
    "Mailbox",
    "Message",
    "OutboxMail",
    "OutboxState",
    "PasswordResetToken",
    "RawMail",
    "RawMailState",
    "RecoveryCode",
    "ReplyTemplate",
    "ReplyTemplateRevision",
    "ReplyTemplateVariant",
    "Role",
    "Setting",
    "SignInFailure",
    "Signature",
    "SlaCalendarDay",
    "SlaPolicy",
    "Status",
    "Tag",
    "Ticket",
    "TicketEvent",
    "TicketTiming",
    "TicketView",
    "UTCDateTime",
    "User",
    "WorkerHeartbeat",
    "ticket_tags",
    "user_languages",
    "utcnow",
]
