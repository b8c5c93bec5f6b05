"""Set-based deep copy of price intervals and tiers, history rows included.

Cloning a large offering copies tens of thousands of interval and tier rows; building a
Python object per row (as ``bulk_create_with_history`` does) costs seconds. Here each level
is two ``INSERT … SELECT`` statements run by the database: the copies, then their history
rows (same columns simple-history writes: the row's fields, date, reason, type "+", user).
Plain SQL that SQLite and PostgreSQL both run.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection

from catalog.history_records import insert_history
from pricing.models import PriceInterval, PriceTier


def _columns(model, skip=()) -> list[str]:
    return [
        f.column for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip
    ]


def copy_intervals_and_tiers(pbi_map: Mapping[int, int], *, by=None, reason: str = "") -> None:
    """Copy the intervals and tiers of each old price book item onto its new one."""
    if not pbi_map:
        return
    qn = connection.ops.quote_name
    pairs = ", ".join(["(%s, %s)"] * len(pbi_map))
    map_params = [value for pair in pbi_map.items() for value in pair]
    cte = f"WITH map(old_id, new_id) AS (VALUES {pairs}) "
    new_ids = list(pbi_map.values())
    in_new = ", ".join(["%s"] * len(new_ids))

    interval_table, tier_table = qn(PriceInterval._meta.db_table), qn(PriceTier._meta.db_table)
    interval_cols = _columns(PriceInterval, skip={"price_book_item"})
    tier_cols = _columns(PriceTier, skip={"interval"})
    with connection.cursor() as cursor:
        cursor.execute(
            f"{cte}INSERT INTO {interval_table} (price_book_item_id, "
            f"{', '.join(qn(c) for c in interval_cols)}) "
            f"SELECT map.new_id, {', '.join('i.' + qn(c) for c in interval_cols)} "
            f"FROM {interval_table} i JOIN map ON map.old_id = i.price_book_item_id "
            f"ORDER BY i.id",
            map_params,
        )
        # A copied tier finds its new interval by (new price book item, same sequence).
        cursor.execute(
            f"{cte}INSERT INTO {tier_table} (interval_id, "
            f"{', '.join(qn(c) for c in tier_cols)}) "
            f"SELECT ni.id, {', '.join('t.' + qn(c) for c in tier_cols)} "
            f"FROM {tier_table} t "
            f"JOIN {interval_table} oi ON oi.id = t.interval_id "
            f"JOIN map ON map.old_id = oi.price_book_item_id "
            f"JOIN {interval_table} ni ON ni.price_book_item_id = map.new_id "
            f"AND ni.sequence = oi.sequence "
            f"ORDER BY t.id",
            map_params,
        )
    insert_history(
        PriceInterval, f"r.price_book_item_id IN ({in_new})", new_ids, by=by, reason=reason
    )
    insert_history(
        PriceTier,
        f"r.interval_id IN (SELECT id FROM {interval_table} WHERE price_book_item_id IN "
        f"({in_new}))",
        new_ids,
        by=by,
        reason=reason,
    )
