"""The admin site: the index grouped by what vendor staff do (Catalog, Offers, Pricing,
Selling), the join tables kept off it (they are edited inline), and a home dashboard."""

from __future__ import annotations

from functools import partial, wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse

from catalog.querysets import vendor_of
from catalog_site.dashboard import dashboard_for
from insights.translations_admin import translations_url

# (section, what it holds, the models in it as "app_label.ObjectName"), in index order.
SECTIONS = [
    ("Catalog", "Products, their items (SKUs) and variation groups.", [
        "catalog.Product", "catalog.Item", "catalog.ItemGroup",
    ]),
    ("Offers", "What distributors see: offers, plans, features and listings.", [
        "catalog.Offer", "catalog.Plan", "catalog.FeatureGroup", "catalog.Feature",
        "catalog.Listing",
    ]),
    ("Pricing", "Offerings, their rates and prices.", [
        "pricing.Offering", "pricing.Rate", "pricing.PriceBookItem",
    ]),
    ("Selling", "Quotes, contracts and the changes the lock refused.", [
        "pricing.Quote", "pricing.Contract", "pricing.LockRefusal",
    ]),
    ("Organizations and users", "Vendors, marketplaces, distributors and who belongs where.", [
        "catalog.Vendor", "catalog.Marketplace", "catalog.Distributor", "catalog.Membership",
        "auth.User", "auth.Group",
    ]),
    ("Sign-in and API tokens", "Scripts' tokens, and sign-in attempts (lockout after failures).", [
        "authtoken.TokenProxy", "axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog",
    ]),
]  # fmt: skip
# Rows edited on their parent's page (an item's translations and paths, a plan's items and
# features, an add-on's bases): their own pages stay reachable, off the index.
JOIN_TABLES = {
    "catalog.ItemTranslation",
    "catalog.ItemPath",
    "catalog.AddOnRequirement",
    "catalog.PlanItem",
    "catalog.PlanFeature",
}


def _key(app: dict, model: dict) -> str:
    return f"{app['app_label']}.{model['object_name']}"


class CatalogAdminSite(admin.AdminSite):
    site_header = "Catalog manager"
    site_title = "Catalog manager"
    index_title = "Catalog and prices"
    index_template = "admin/catalog_index.html"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["models"] = [m for m in app["models"] if _key(app, m) not in JOIN_TABLES]
        if app_label is not None:  # an app's own page: its models, as Django lists them
            return [app for app in apps if app["models"]]
        models = {_key(app, model): (app, model) for app in apps for model in app["models"]}
        sections = []
        for name, description, keys in SECTIONS:
            found = [models.pop(key) for key in keys if key in models]
            if found:
                sections.append(
                    {
                        "name": name,
                        "description": description,
                        "app_label": name.split()[0].lower(),
                        "app_url": found[0][1].get("admin_url") or "",  # the first list
                        "has_module_perms": True,
                        "models": [model for _, model in found],
                    }
                )
        if models:  # a model registered later and not placed yet: listed, never lost
            sections.append(
                {
                    "name": "Other",
                    "description": "",
                    "app_label": "other",
                    "app_url": "",
                    "has_module_perms": True,
                    "models": [model for _, model in models.values()],
                }
            )
        return sections

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "dashboard": dashboard_for(request.user),
            "exchange_url": self.exchange_url(request.user),
            "translations_url": translations_url(request.user),
        }
        return super().index(request, extra_context)

    @staticmethod
    def exchange_url(user) -> str | None:
        """The spreadsheet pages' link for vendor staff and superusers, None for others."""
        if user.is_superuser or vendor_of(user) is not None:
            return reverse("admin:exchange_index")
        return None

    def exchange_view(self, view):
        """An ``exchange.admin_views`` page behind the admin's sign-in; a signed-in user who
        may not use the admin at all is refused (403) rather than sent to sign in again."""
        inner = self.admin_view(partial(view, self))

        @wraps(inner)
        def outer(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return outer

    def get_urls(self):
        from exchange import admin_views as views
        from insights.admin_diff import compare_view
        from insights.lint import admin_views as lint_admin

        page = self.exchange_view
        exchange = [
            path("exchange/", page(views.index), name="exchange_index"),
            path("exchange/<slug:slug>/export/", page(views.export_page), name="exchange_export"),
            path(
                "exchange/<slug:slug>/export/<str:book>.xlsx",
                page(views.export_book),
                name="exchange_export_book",
            ),
            path(
                "exchange/<slug:slug>/export/csv/<str:sheet>.csv",
                page(views.export_sheet),
                name="exchange_export_sheet",
            ),
            path("exchange/<slug:slug>/import/", page(views.import_page), name="exchange_import"),
            path(
                "exchange/<slug:slug>/import/confirm/",
                page(views.import_confirm),
                name="exchange_import_confirm",
            ),
        ]
        from insights import translations_admin
        from insights.views import admin_product_paths

        translations = [
            path(
                "insights/translations/",
                page(translations_admin.index),
                name="insights_translations_index",
            ),
            path(
                "insights/translations/<slug:slug>/",
                page(translations_admin.vendor_page),
                name="insights_translations",
            ),
        ]
        insights = [
            path(
                "insights/products/<int:pk>/paths/",
                page(admin_product_paths),
                name="insights_product_paths",
            ),
            path(
                "insights/offerings/<int:a>/compare/",
                page(compare_view),
                name="insights_offering_diff",
            ),
        ]
        lint = [
            path("insights/lint/", page(lint_admin.index), name="insights_lint_index"),
            path(
                "insights/lint/<slug:slug>/",
                page(lint_admin.vendor_page),
                name="insights_lint_vendor",
            ),
        ]
        return exchange + translations + insights + lint + super().get_urls()
