"""A Minimum Commit or Percent of Total offering holds its one item and nothing else.

Before this rule such an offering also held the usage (or subscription) items its commitment
(or percentage) applied to, with their prices. Seed 002 models it otherwise: the application
list names items sold in the vendor's other offerings, and usage lines of those items anywhere
on the quote consume the commitment. Since version 3 of the price snapshot the engine prices
it that way; this migration brings the stored offerings to the same shape.

- An offering nobody bought (no processed or cancelled quote line, no contract) loses the
  items its type no longer holds, with their prices, intervals and tiers. Each deletion is
  kept in the rows' history, with the reason below.
- An offering that was sold keeps them: nothing that was sold changes. Its processed quotes
  keep their frozen totals and recompute to them from their snapshots (versions 1 and 2
  price a commitment against its own offering's usage). Processing refuses new lines of the
  items it no longer holds, and its clone leaves them out: clone it and inactivate it to
  sell the commitment alone.

The demo data loaded before this migration is the second case: "Committed usage" and
"Premium support" were sold to Fabrikam and Woodgrove, so they keep their usage and seats,
and those quotes keep their totals. A fresh demo sells the commitment and the support alone
and the usage and seats from "Platform pay as you go", at that offering's prices (volume API
calls, tiered storage, and the seat it requires). Fabrikam's fresh quote comes to 1,012.00
a month where the legacy one comes to 1,000.00: either way its usage falls short and the
true-up tops it up to the 1,000.00 committed; the fresh quote adds the required seat at 12.00.
"""

from django.db import migrations
from django.utils import timezone

HOLDS = {"minimum_commit": "minimum_commit", "percent_of_total": "percent_of_total"}
REASON = "left its {type} offering: it holds its one item only (migration 0007)"


def _record_deletions(apps, model_name: str, rows, when) -> None:
    historical = apps.get_model("pricing", f"Historical{model_name}")
    tracked = [
        field.attname
        for field in historical._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    historical.objects.bulk_create(
        historical(
            **{name: getattr(row, name) for name in tracked},
            history_date=when,
            history_type="-",
            history_change_reason=REASON.format(type=row_type)[:100],
            history_user=None,
        )
        for row, row_type in rows
    )


def hold_the_one_item(apps, schema_editor) -> None:
    Offering = apps.get_model("pricing", "Offering")
    OfferingItem = apps.get_model("pricing", "OfferingItem")
    PriceBookItem = apps.get_model("pricing", "PriceBookItem")
    PriceInterval = apps.get_model("pricing", "PriceInterval")
    PriceTier = apps.get_model("pricing", "PriceTier")
    QuoteLine = apps.get_model("pricing", "QuoteLine")
    ContractOffering = apps.get_model("pricing", "ContractOffering")
    when = timezone.now()
    for offering in Offering.objects.filter(type__in=HOLDS).order_by("pk"):
        extra = OfferingItem.objects.filter(offering=offering).exclude(
            item__kind=HOLDS[offering.type]
        )
        if not extra.exists():
            continue
        sold = (
            QuoteLine.objects.filter(offering=offering).exclude(quote__status="draft").exists()
            or ContractOffering.objects.filter(offering=offering).exists()
        )
        if sold:
            continue
        label = offering.type.replace("_", " ")
        prices = PriceBookItem.objects.filter(
            rate__offering=offering, item_id__in=extra.values("item_id")
        )
        intervals = PriceInterval.objects.filter(price_book_item__in=prices)
        tiers = PriceTier.objects.filter(interval__in=intervals)
        for model_name, rows in (
            ("PriceTier", tiers),
            ("PriceInterval", intervals),
            ("PriceBookItem", prices),
            ("OfferingItem", extra),
        ):
            _record_deletions(apps, model_name, [(row, label) for row in rows], when)
            rows.delete()


class Migration(migrations.Migration):
    dependencies = [("pricing", "0006_quote_line_breakdown")]

    operations = [migrations.RunPython(hold_the_one_item, migrations.RunPython.noop)]
