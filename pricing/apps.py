from django.apps import AppConfig


class PricingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pricing"
    verbose_name = "Pricing"

    def ready(self) -> None:
        from pricing import price_history, signals  # noqa: F401  (delete guards; a price's versions)
