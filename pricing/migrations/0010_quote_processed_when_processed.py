from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def date_processed_quotes_from_their_history(apps, schema_editor):
    """A processed quote stored without its time (no service writes one) takes the time its
    history first shows it processed."""
    Quote = apps.get_model("pricing", "Quote")
    HistoricalQuote = apps.get_model("pricing", "HistoricalQuote")
    first_processed = (
        HistoricalQuote.objects.filter(id=OuterRef("pk"), status="processed")
        .values("id")
        .annotate(at=Min("history_date"))
        .values("at")
    )
    Quote.objects.filter(status="processed", processed_at__isnull=True).update(
        processed_at=Subquery(first_processed)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_product_name_order"),
        ("pricing", "0009_offering_revision"),
    ]

    operations = [
        migrations.RunPython(date_processed_quotes_from_their_history, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="quote",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("processed_at__isnull", False), ("status", "processed")),
                    models.Q(
                        models.Q(("status", "processed"), _negated=True),
                        ("processed_at__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="quote_processed_when_processed",
                violation_error_message="A processed quote says when it was processed, and "
                "only a processed quote does.",
            ),
        ),
    ]
