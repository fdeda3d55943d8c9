"""mailbox retention policy: months after a ticket's last activity before it is purged

Revision ID: c3e8f1a2d5b7
Revises: e5b1c7a3d9f2
Create Date: 2026-12-07 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e8f1a2d5b7'
down_revision = 'e5b1c7a3d9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.drop_column('retention_months')
