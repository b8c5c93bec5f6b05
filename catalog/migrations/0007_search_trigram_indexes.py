"""Search that does not scan, on PostgreSQL: trigram GIN indexes for the columns the API's
``?search=`` and the admin's ``?q=`` look into (``icontains``, which Django writes as
``UPPER(col::text) LIKE UPPER('%…%')``: the indexes are on that expression, so the planner
can use them). SQLite has no trigram index; there the search scans, as before (the scale this
is for is PostgreSQL's). The indexes are not in the models' state: they are the database's
business, made and dropped here only."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "catalog_item_mpn_trgm": ("catalog_item", "mpn"),
    "catalog_item_name_trgm": ("catalog_item", "name"),
    "catalog_product_name_trgm": ("catalog_product", "name"),
    "catalog_itemtranslation_name_trgm": ("catalog_itemtranslation", "name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_offer_plan_feature_translations")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
