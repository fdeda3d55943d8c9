"""raw mail claims: ingest workers lease stored mail

Revision ID: e5a1c3f7b920
Revises: 5e8a1c3b7d20
Create Date: 2027-01-14 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a1c3f7b920'
down_revision = '5e8a1c3b7d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('raw_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('raw_mail', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
