"""The insights' pages: upgrade paths (the admin's page per product, and the portal's ladder
of a listing's offer) and the portal's page of a price with its curves. Each parses the
request, calls its selector and renders; who sees which product, item, path and price is
``visible_to`` (another organization's product or listing is a 404)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from catalog.models import Listing, Product
from insights.curves_svg import price_curves_html
from insights.paths import product_paths
from insights.svg import describe, render_svg
from portal.selectors import listing_for_page, listing_price
from portal.views import PortalView


def graph_context(graph, dom_id: str) -> dict:
    return {"graph": graph, "svg": render_svg(graph, dom_id=dom_id), "description": describe(graph)}


def admin_product_paths(site, request, pk: int):
    """Admin: one product's items and paths, drawn, with the same in a table."""
    product = get_object_or_404(Product.objects.visible_to(request.user), pk=pk)
    graph = product_paths(product, user=request.user)
    context = {
        **site.each_context(request),
        "title": f"Upgrade paths of {product.name}",
        **graph_context(graph, f"paths-{product.pk}"),
    }
    return render(request, "insights/paths_admin.html", context)


class PortalLadderView(PortalView):
    """Portal: the upgrade ladder of a listing's offer (its product's items and paths the
    reader may see: a distributor's has no drafts)."""

    def page(self, request, pk: int):
        listing = get_object_or_404(
            Listing.objects.visible_to(request.user).select_related("offer__product__vendor"),
            pk=pk,
        )
        graph = product_paths(listing.offer.product, user=request.user)
        context = self.context(listing=listing, **graph_context(graph, "ladder"))
        return render(request, "portal/upgrade_ladder.html", context)


class PortalPriceCurveView(PortalView):
    """Portal: one price a listing's page shows (the price selector's, for its marketplace),
    in words and drawn: the amount per period against quantity, and over time for interval
    pricing, with cliffs marked. A price the listing does not show the reader is a 404."""

    def page(self, request, pk: int, price: int):
        listing = get_object_or_404(listing_for_page(user=request.user), pk=pk)
        found = listing_price(
            listing=listing, price_id=price, user=request.user, locale=self.locale
        )
        if found is None:
            raise Http404("No such price on this listing.")
        curves = price_curves_html(found.pbi, locale=self.locale.babel)
        context = self.context(listing=listing, price=found, curves=curves)
        return render(request, "portal/price_curve.html", context)
