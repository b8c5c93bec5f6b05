from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from catalog import fixture_loads  # noqa: F401  (loaddata adds no history records)
        from catalog.api import tokens  # noqa: F401  (a password change ends the API token)
        from catalog.roles import ensure_role_groups

        # After every app: the permissions of apps migrated later must be in the groups too.
        post_migrate.connect(ensure_role_groups, dispatch_uid="catalog.ensure_role_groups")
