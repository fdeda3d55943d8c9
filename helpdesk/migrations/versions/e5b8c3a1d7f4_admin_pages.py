"""admin pages: settings, IMAP accounts, invitations

Revision ID: e5b8c3a1d7f4
Revises: e5b8c3a1d720
Create Date: 2026-12-07 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b8c3a1d7f4'
down_revision = 'e5b8c3a1d720'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('settings',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_settings'))
    )
    op.create_table('imap_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('port', sa.Integer(), nullable=False),
    sa.Column('security', sa.String(length=16), nullable=False),
    sa.Column('username', sa.String(length=254), nullable=False),
    sa.Column('password', sa.Text(), nullable=False),
    sa.Column('ca_file', sa.String(length=500), nullable=True),
    sa.Column('folder', sa.String(length=200), nullable=False),
    sa.Column('use_idle', sa.Boolean(), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('language_code', sa.String(length=16), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['language_code'], ['languages.code'], name=op.f('fk_imap_accounts_language_code_languages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imap_accounts'))
    )
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('languages', sa.String(length=500), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )


def downgrade():
    op.drop_table('invitations')
    op.drop_table('imap_accounts')
    op.drop_table('settings')
