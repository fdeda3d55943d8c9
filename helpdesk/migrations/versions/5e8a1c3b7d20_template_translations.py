"""template source language, categories, use counts and history

Revision ID: 5e8a1c3b7d20
Revises: c3e8f1a2d5b7
Create Date: 2027-01-20 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e8a1c3b7d20'
down_revision = 'c3e8f1a2d5b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reply_templates') as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('source_language', sa.String(length=16), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('source_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('use_count', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('reply_template_variants') as batch_op:
        batch_op.add_column(sa.Column('source_version', sa.Integer(), server_default='0', nullable=False))
    op.create_table('reply_template_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('language_code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('source_version', sa.Integer(), nullable=False),
    sa.Column('is_source', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_reply_template_revisions_author_id_users')),
    sa.ForeignKeyConstraint(['template_id'], ['reply_templates.id'], name=op.f('fk_reply_template_revisions_template_id_reply_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_template_revisions'))
    )
    op.create_index('ix_reply_template_revisions_lookup', 'reply_template_revisions', ['template_id', 'language_code'], unique=False)


def downgrade():
    op.drop_index('ix_reply_template_revisions_lookup', table_name='reply_template_revisions')
    op.drop_table('reply_template_revisions')
    with op.batch_alter_table('reply_template_variants') as batch_op:
        batch_op.drop_column('source_version')
    with op.batch_alter_table('reply_templates') as batch_op:
        batch_op.drop_column('use_count')
        batch_op.drop_column('source_version')
        batch_op.drop_column('source_language')
        batch_op.drop_column('category')
