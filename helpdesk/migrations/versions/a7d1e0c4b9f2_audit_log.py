"""audit log, append-only

Revision ID: a7d1e0c4b9f2
Revises: 7c2d9e4f1a63
Create Date: 2026-12-07 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from helpdesk.core.models.audit import APPEND_ONLY_DDL


# revision identifiers, used by Alembic.
revision = 'a7d1e0c4b9f2'
down_revision = '7c2d9e4f1a63'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=48), nullable=False),
    sa.Column('target_type', sa.String(length=32), nullable=True),
    sa.Column('target_id', sa.String(length=64), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_created_at', 'audit_log', ['created_at'])
    op.create_index('ix_audit_log_action_created_at', 'audit_log', ['action', 'created_at'])
    op.create_index('ix_audit_log_actor_created_at', 'audit_log', ['actor_id', 'created_at'])
    for statement in APPEND_ONLY_DDL.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE')
    op.drop_table('audit_log')
