"""Catalog endpoints, registered on the project's API router (catalog_site/api.py)."""


def register(router) -> None:
    from catalog.api import views

    for prefix, viewset, basename in views.ROUTES:
        router.register(prefix, viewset, basename=basename)
