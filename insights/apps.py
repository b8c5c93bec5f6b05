from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Catalog intelligence: what a change would do, and what is wrong in a price book, read
    from the catalog and pricing (selectors only: nothing here writes)."""

    name = "insights"
    verbose_name = "Insights"
