"""search postings: FTS5 on SQLite, tsvector + GIN on PostgreSQL (held by search_index)

Revision ID: 4b8e2f7c1a90
Revises: 3f1c0a9d2b7e
Create Date: 2026-11-27 10:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4b8e2f7c1a90'
down_revision = '3f1c0a9d2b7e'
branch_labels = None
depends_on = None

# The DDL as it was when written (search_index.postings may move on; this file must not).
SQLITE = (
    "CREATE VIRTUAL TABLE search_postings USING fts5(subject, body, people, quoted, ticket, "
    "digest UNINDEXED, tokenize = \"unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co'\")",
)
POSTGRES = (
    "CREATE TABLE search_postings (message_id INTEGER PRIMARY KEY, "
    "document TSVECTOR NOT NULL, digest VARCHAR(32) NOT NULL)",
    "CREATE INDEX ix_search_postings_document ON search_postings USING gin (document)",
)


def upgrade():
    # Existing messages get their postings from `helpdesk reindex` (progress bar, in chunks).
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade():
    op.execute("DROP TABLE search_postings")
