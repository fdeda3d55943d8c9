"""blobs in the database

Revision ID: 7c2d9e4f1a63
Revises: c4a7d2e9b1f0
Create Date: 2027-01-12 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2d9e4f1a63'
down_revision = 'c4a7d2e9b1f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blobs',
    sa.Column('store', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('store', 'sha256', name=op.f('pk_blobs'))
    )


def downgrade():
    op.drop_table('blobs')
