"""Pieces of the product and offer pages: the variation tree and its help, and the way back
from a feature group's or feature's page to its offer."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe


def render_tree(nodes) -> str:
    if not nodes:
        return ""
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong>{}{}</li>",
            (
                (
                    node.group.name,
                    format_html_join(
                        "",
                        " <span class='tree-item'>{} [{}]</span>",
                        ((item.name, item.mpn) for item in node.items),
                    ),
                    mark_safe(render_tree(node.children)),  # already escaped above
                )
                for node in nodes
            ),
        ),
    )


TREE_HELP = (
    "A product's items can hang in a tree of groups: Shirt › Red › Size M. Groups and items "
    "are edited in the two lists below (a group's parent, an item's group). To build many "
    "at once, use Generate variations: it makes the groups the tree lacks and one item per "
    "combination, in one save."
)
GENERATOR_HELP = (
    "Levels go from the top of the tree down: level 1 (colour: Red, Green) holds level 2 "
    "(size: S, M, L). Saving makes the groups (existing ones with the same name and parent "
    "are reused) and one item per combination, under its last group: Red › S, Red › M, … "
    "Nothing is made if an MPN is taken or the pattern cannot be used."
)


class BackToOfferMixin:
    """Saving a row of an offer's matrix (a feature group, a feature) goes back to the offer's
    page, at its matrix; "Save and continue" and "Save and add another" work as usual, and a
    safe ``next`` in the URL wins."""

    def offer_id_of(self, obj) -> int:
        raise NotImplementedError

    def back_to_offer(self, request, obj):
        target = request.POST.get("next") or request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(target)
        url = reverse("admin:catalog_offer_change", args=[self.offer_id_of(obj)])
        return HttpResponseRedirect(f"{url}#feature-matrix")

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        if {"_continue", "_addanother", "_saveasnew"} & set(request.POST):
            return response
        return self.back_to_offer(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        if {"_continue", "_addanother", "_popup"} & set(request.POST):
            return response
        return self.back_to_offer(request, obj)
