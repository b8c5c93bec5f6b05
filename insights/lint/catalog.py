"""Checks of offerings and the catalog around them: items no active rate prices, listings no
rate sells on, commitments and percents that apply to nothing sold, and upgrade paths (to
draft or end-of-sale items, and contradicting pairs)."""

from __future__ import annotations

from catalog.models import Item, ItemPath
from pricing.models import Offering, Rate
from pricing.price_selector import Sale

from .findings import ERROR, WARNING, Finding

SCOPED_KINDS = (Item.Kind.MINIMUM_COMMIT, Item.Kind.PERCENT_OF_TOTAL)


def sold_items(loaded, offering_id: int) -> set[int]:
    """The items of an offering that an active rate of it prices."""
    active = {
        rate.pk for rate in loaded.rates.get(offering_id, ()) if rate.status == Rate.Status.ACTIVE
    }
    return {
        price.item_id for price in loaded.prices.get(offering_id, ()) if price.rate_id in active
    }


def check_offering(loaded, offering) -> list[Finding]:
    """An inactive offering sells nothing: what it could not sell is only a warning."""
    selling = offering.status == Offering.Status.ACTIVE

    def finding(severity, code, subject, message, fix):
        severity = severity if selling else WARNING
        return Finding(severity, code, subject, message, fix, offering.pk, offering.name)

    found = []
    lines = loaded.offering_items.get(offering.pk, [])
    sold = sold_items(loaded, offering.pk)
    active = [r for r in loaded.rates.get(offering.pk, ()) if r.status == Rate.Status.ACTIVE]
    if lines and not active:
        found.append(
            finding(
                ERROR,
                "no_active_rate",
                f"offering {offering.name!r}",
                f"No active rate prices any of its {len(lines)} item(s).",
                "Activate a rate of this offering (or add one with a price for each item).",
            )
        )
    elif active:
        for line in lines:
            if line.item_id not in sold:
                found.append(
                    finding(
                        ERROR,
                        "item_without_price",
                        f"{line.item.mpn} ({line.item.name})",
                        "No active rate of this offering has a price for it.",
                        f"Add a price for {line.item.mpn} to an active rate, or remove the item.",
                    )
                )
    for line in lines:
        if line.item.kind not in SCOPED_KINDS:
            continue
        scope = loaded.scopes.get(line.pk, set())
        if not scope & (loaded.sold.get(offering.vendor_id, set()) - {line.item_id}):
            what = line.item.get_kind_display().lower()
            named = f"its {len(scope)} item(s)" if scope else "no item"
            found.append(
                finding(
                    ERROR,
                    "scope_names_nothing_sold",
                    f"{line.item.mpn} ({line.item.name})",
                    f"This {what} applies to {named}, and none of them is sold (priced by an "
                    "active rate of an active offering): it applies to nothing.",
                    "Add items the vendor sells to its application list.",
                )
            )
    return found


def check_listings(loaded) -> list[Finding]:
    """A listed offer's plan is priced by an offering none of whose rates sells on the
    marketplace (its channel, or every channel, in its currency): the price selector's rule."""
    found = []
    for listing, offering_ids in loaded.listings:
        marketplace = listing.marketplace
        sale = Sale(currency=marketplace.currency, channel_id=marketplace.pk)
        for offering_id in offering_ids:
            offering = loaded.offerings.get(offering_id)
            if offering is None:
                continue  # not linted here
            if any(sale.sells(rate) is None for rate in loaded.rates.get(offering_id, ())):
                continue
            found.append(
                Finding(
                    ERROR,
                    "listing_without_rate",
                    f"offer {listing.offer.name!r} on {marketplace.name}",
                    f"It is listed on {marketplace.name}, but no active rate of offering "
                    f"{offering.name!r} sells in {marketplace.currency} on that channel.",
                    f"Activate a {marketplace.currency} rate for every channel or for "
                    f"{marketplace.name}, or unlist the offer there.",
                    offering.pk,
                    offering.name,
                )
            )
    return found


def check_paths(paths) -> list[Finding]:
    found = []
    pairs = {(path.source_id, path.target_id, path.kind) for path in paths}
    for path in paths:
        kind = path.get_kind_display().lower()
        subject = f"{kind} {path.source.mpn} → {path.target.mpn} ({path.source.product.name})"
        if path.target.status in (Item.Status.DRAFT, Item.Status.END_OF_SALE):
            state = path.target.get_status_display().lower()
            found.append(
                Finding(
                    WARNING,
                    f"path_to_{path.target.status}",
                    subject,
                    f"It leads to {path.target.mpn}, which is {state}: no one can move there.",
                    f"Publish {path.target.mpn}, or remove the path.",
                )
            )
        back = (path.target_id, path.source_id, path.kind)
        if back in pairs and path.source_id < path.target_id:  # each pair once
            verb = "upgrades" if path.kind == ItemPath.Kind.UPGRADE else "downgrades"
            found.append(
                Finding(
                    ERROR,
                    "contradicting_paths",
                    subject,
                    f"{path.source.mpn} {verb} to {path.target.mpn}, and {path.target.mpn} "
                    f"{verb} to {path.source.mpn}.",
                    f"Make one of the two a {'downgrade' if verb == 'upgrades' else 'upgrade'}, "
                    "or remove it.",
                )
            )
    return found
