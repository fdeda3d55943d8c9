"""The audit log: entries land with the change they record, and nothing can rewrite them."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from helpdesk.core.models import AuditAction, AuditEntry, Role
from helpdesk.core.services.audit import (
    AuditFilter,
    audit_entries,
    audit_origin,
    record_audit,
)
from helpdesk.core.services.merging import merge_into_older
from helpdesk.core.unit_of_work import unit_of_work


def test_an_entry_lands_with_its_change_or_not_at_all(session, make_user):
    admin = make_user(Role.ADMIN)
    with audit_origin("203.0.113.7"), unit_of_work(session):
        record_audit(session, admin, AuditAction.ROLE_CHANGED, target=admin, after={"role": "x"})
    with pytest.raises(RuntimeError), unit_of_work(session):
        record_audit(session, admin, AuditAction.USER_DEACTIVATED, target=admin)
        raise RuntimeError("the change failed")
    entries = audit_entries(session, AuditFilter())
    assert [(e.action, e.actor_label, e.address, e.target_type, e.target_id) for e in entries] == [
        ("role_changed", admin.email, "203.0.113.7", "users", str(admin.id))
    ]


def test_without_a_user_the_origin_names_the_actor(session):
    with audit_origin(None, "cli"), unit_of_work(session):
        record_audit(session, None, AuditAction.RETENTION_RUN, after={"purged": 3})
    (entry,) = audit_entries(session, AuditFilter(system_only=True))
    assert (entry.actor_id, entry.actor_label, entry.after) == (None, "cli", {"purged": 3})


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_edit_or_remove_an_entry(session, make_user, statement):
    admin = make_user(Role.ADMIN)
    with unit_of_work(session):
        record_audit(session, admin, AuditAction.SETTINGS_CHANGED, after={"a": 1})
    change = (
        update(AuditEntry).values(action="nothing") if statement == "update" else delete(AuditEntry)
    )
    with pytest.raises(DBAPIError, match="append-only"), unit_of_work(session):
        session.execute(change)
    session.rollback()
    assert session.execute(text("SELECT action FROM audit_log")).scalars().all() == [
        "settings_changed"
    ]


def test_filters_and_paging(session, make_user):
    admin, coordinator = make_user(Role.ADMIN), make_user(Role.COORDINATOR)
    with unit_of_work(session):
        for n in range(5):
            record_audit(session, admin, AuditAction.USER_CHANGED, target_type="users", target_id=n)
        record_audit(session, coordinator, AuditAction.TICKETS_MERGED, target_id=9)
    assert [e.actor_id for e in audit_entries(session, AuditFilter(actor_id=coordinator.id))] == [
        coordinator.id
    ]
    first = audit_entries(session, AuditFilter(action="user_changed"), limit=3)
    rest = audit_entries(session, AuditFilter(action="user_changed"), before_id=first[-1].id)
    assert [e.target_id for e in [*first, *rest]] == ["4", "3", "2", "1", "0"]


def test_a_merge_is_audited(session, make_user, create_ticket):
    coordinator = make_user(Role.COORDINATOR)
    older = create_ticket(subject="Inscription")
    newer = create_ticket(subject="Autre question", sender="autre@example.com")
    with unit_of_work(session):
        merge_into_older(session, newer, older, coordinator)
    (entry,) = audit_entries(session, AuditFilter(action=AuditAction.TICKETS_MERGED))
    assert (entry.actor_id, entry.target_id, entry.before) == (
        coordinator.id,
        str(older.id),
        {"source": newer.id},
    )
