"""SLA policies per language queue, their working calendars, digest deliveries

Revision ID: c4a7d2e9b1f0
Revises: 4b8e2f7c1a90
Create Date: 2026-12-01 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a7d2e9b1f0'
down_revision = '4b8e2f7c1a90'
branch_labels = None
depends_on = None


def upgrade():
    # Each language's single "first response hours" becomes its SLA policy (calendar hours, as
    # it was counted until now; resolution 120 h); the column goes once carried over.
    op.create_table('sla_policies',
    sa.Column('language_code', sa.String(length=16), nullable=False),
    sa.Column('first_response_hours', sa.Integer(), nullable=False),
    sa.Column('resolution_hours', sa.Integer(), nullable=False),
    sa.Column('business_hours', sa.Boolean(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('opens_at', sa.String(length=5), nullable=False),
    sa.Column('closes_at', sa.String(length=5), nullable=False),
    sa.Column('working_days', sa.String(length=7), nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['language_code'], ['languages.code'], name=op.f('fk_sla_policies_language_code_languages')),
    sa.PrimaryKeyConstraint('language_code', name=op.f('pk_sla_policies'))
    )
    op.execute(
        "INSERT INTO sla_policies (language_code, first_response_hours, resolution_hours, "
        "business_hours, timezone, opens_at, closes_at, working_days, holidays) "
        "SELECT code, first_response_hours, 120, false, 'UTC', '09:00', '17:00', '12345', '[]' "
        "FROM languages"
    )
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): rebuilding the table would trip the foreign
    # keys that now point at it.
    with op.batch_alter_table('languages', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('first_response_hours')
    op.create_table('sla_calendar',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language_code', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('opens', sa.BigInteger(), nullable=False),
    sa.Column('closes', sa.BigInteger(), nullable=False),
    sa.Column('worked_before', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['language_code'], ['sla_policies.language_code'], name=op.f('fk_sla_calendar_language_code_sla_policies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_calendar'))
    )
    op.create_index('ix_sla_calendar_lookup', 'sla_calendar', ['language_code', 'opens'], unique=False)
    op.create_table('digest_deliveries',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_deliveries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_digest_deliveries'))
    )
    # Metrics read a ticket's events by kind, and tickets by when they opened or were resolved.
    op.create_index('ix_ticket_events_ticket_kind', 'ticket_events', ['ticket_id', 'kind', 'created_at'], unique=False)
    op.drop_index('ix_ticket_events_ticket_id', table_name='ticket_events')
    op.create_index('ix_tickets_created_at', 'tickets', ['created_at'], unique=False)
    op.create_index('ix_tickets_resolved_at', 'tickets', ['resolved_at'], unique=False)
    op.create_index('ix_tickets_updated_at', 'tickets', ['updated_at'], unique=False)
    op.create_index('ix_tickets_requester_created', 'tickets', ['requester_id', 'created_at'], unique=False)
    op.drop_index('ix_tickets_requester_id', table_name='tickets')
    op.create_table('ticket_timings',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('first_response_s', sa.Float(), nullable=True),
    sa.Column('running_s', sa.Float(), nullable=False),
    sa.Column('running_since', sa.Float(), nullable=True),
    sa.Column('source_updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('language_code', sa.String(length=16), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_timings_ticket_id_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_timings'))
    )
    op.create_index('ix_ticket_timings_source_updated_at', 'ticket_timings', ['source_updated_at'], unique=False)
    op.create_index('ix_ticket_timings_opened', 'ticket_timings', ['opened_at', 'language_code', 'assignee_id', 'first_response_s'], unique=False)
    op.create_index('ix_ticket_timings_resolved', 'ticket_timings', ['resolved_at', 'language_code', 'assignee_id', 'running_s'], unique=False)
    # A digest is mail about no ticket.
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('message_id', existing_type=sa.Integer(), nullable=False)
    op.drop_index('ix_ticket_timings_resolved', table_name='ticket_timings')
    op.drop_index('ix_ticket_timings_opened', table_name='ticket_timings')
    op.drop_index('ix_ticket_timings_source_updated_at', table_name='ticket_timings')
    op.drop_table('ticket_timings')
    op.create_index('ix_tickets_requester_id', 'tickets', ['requester_id'], unique=False)
    op.drop_index('ix_tickets_requester_created', table_name='tickets')
    op.drop_index('ix_tickets_updated_at', table_name='tickets')
    op.drop_index('ix_tickets_resolved_at', table_name='tickets')
    op.drop_index('ix_tickets_created_at', table_name='tickets')
    op.create_index('ix_ticket_events_ticket_id', 'ticket_events', ['ticket_id'], unique=False)
    op.drop_index('ix_ticket_events_ticket_kind', table_name='ticket_events')
    op.drop_table('digest_deliveries')
    op.drop_index('ix_sla_calendar_lookup', table_name='sla_calendar')
    op.drop_table('sla_calendar')
    with op.batch_alter_table('languages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_response_hours', sa.Integer(), nullable=False, server_default='24'))
    op.execute(
        "UPDATE languages SET first_response_hours = (SELECT first_response_hours FROM "
        "sla_policies WHERE sla_policies.language_code = languages.code)"
    )
    op.drop_table('sla_policies')
