"""requesters without an address

Revision ID: 3f1c2a9d7b40
Revises: dc9088a0aabb
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f1c2a9d7b40'
down_revision = 'dc9088a0aabb'
branch_labels = None
depends_on = None


def upgrade():
    # Mail with no usable sender address is a ticket now, not quarantined: its requester has no
    # address (NULL, so the unique constraint keeps one contact per real address and lets every
    # such requester be a contact of their own).
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)


def downgrade():
    # Addresses cannot be invented: requesters without one get a unique placeholder that no
    # mail server accepts (the .invalid top-level domain, RFC 2606).
    op.execute(
        "UPDATE contacts SET email = 'no-address-' || id || '@no-reply-address.invalid' "
        "WHERE email IS NULL"
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)
