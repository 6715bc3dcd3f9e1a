"""the directory files a name by its letters: ICU's Polish collation as it comes (`pl-x-icu`)
sorts the quote that opens „Wielkopolska Akademia Seniora” before every letter, so that
organisation came before Fundacja Edukacyjna „Comenius”; the collation `polish` makes
punctuation and spaces ignorable (and tells apart names that differ only in them at the fourth
level). Registrations' copy of the name (0049) is compared by it, and its index is rebuilt in it.
SQLite has nothing to change: the order is told in the query there, under the same name
(app/collation.py)

Revision ID: 0050_polish_collation
Revises: 0049_polish_order
Create Date: 2026-12-01 01:30:00

"""

from alembic import op

revision = "0050_polish_collation"
down_revision = "0049_polish_order"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # deterministic, as collations are unless told otherwise: two names are equal only when
    # they are the same bytes, which b-tree indexes and LIKE need
    op.execute("CREATE COLLATION polish (provider = icu, locale = 'pl-u-ka-shifted-ks-level4')")
    _compare_sort_name_by("polish")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _compare_sort_name_by("pl-x-icu")
    op.execute("DROP COLLATION polish")


def _compare_sort_name_by(collation: str) -> None:
    # the index on sort_name is rebuilt in the column's new collation
    op.execute(
        f'ALTER TABLE registrations ALTER COLUMN sort_name TYPE varchar(450) COLLATE "{collation}"'
    )
