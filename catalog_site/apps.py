from django.contrib.admin.apps import AdminConfig


class CatalogAdminConfig(AdminConfig):
    """Django's admin with our site (``catalog_site.admin_site.CatalogAdminSite``)."""

    default_site = "catalog_site.admin_site.CatalogAdminSite"
