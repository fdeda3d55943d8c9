"""The audit log: admin changes and sensitive actions, append-only.

Entries name people and tickets by id and staff by address; never a requester's name, address
or text, so that erasing a requester leaves the log true and free of their data.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .users import User


class AuditAction(enum.StrEnum):
    """What was done; the page filters by it. Add members here, never reuse a name."""

    SIGN_IN_FAILED = "sign_in_failed"
    ACCOUNT_LOCKED = "account_locked"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an action name
    PASSWORD_RESET_REQUESTED = "password_reset_requested"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105
    SECOND_FACTOR_ENABLED = "second_factor_enabled"
    SECOND_FACTOR_DISABLED = "second_factor_disabled"
    SESSIONS_REVOKED = "sessions_revoked"
    USER_INVITED = "user_invited"
    USER_CREATED = "user_created"
    USER_CHANGED = "user_changed"
    ROLE_CHANGED = "role_changed"
    USER_DEACTIVATED = "user_deactivated"
    USER_REACTIVATED = "user_reactivated"
    MAILBOX_CREATED = "mailbox_created"
    MAILBOX_CHANGED = "mailbox_changed"
    MAILBOX_DELETED = "mailbox_deleted"
    SETTINGS_CHANGED = "settings_changed"
    LANGUAGE_ADDED = "language_added"
    LANGUAGE_CHANGED = "language_changed"
    TEMPLATE_DELETED = "template_deleted"
    TICKETS_MERGED = "tickets_merged"
    REQUESTER_EXPORTED = "requester_exported"
    REQUESTER_ERASED = "requester_erased"
    RETENTION_RUN = "retention_run"
    RAW_MAIL_DELETED = "raw_mail_deleted"


class AuditEntry(Base):
    """One action: who (None: the system), when, from which address, on what, before/after."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_created_at", "created_at"),
        Index("ix_audit_log_action_created_at", "action", "created_at"),
        Index("ix_audit_log_actor_created_at", "actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The actor as they were then (an address, or "cli"/"system"): survives later renames.
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str | None] = mapped_column(String(64))  # the client's IP, or None
    action: Mapped[str] = mapped_column(String(48))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")


# The database itself refuses edits, not only the ORM: no code path can rewrite history.
APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ],
}

for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _statement in _statements:
        event.listen(
            AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect)
        )
