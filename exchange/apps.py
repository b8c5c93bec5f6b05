from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """A vendor's catalog and prices as spreadsheets: export, and import through the services."""

    name = "exchange"
    verbose_name = "Spreadsheets"
