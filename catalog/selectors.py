"""Composed reads of the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog.models import FeatureGroup, ItemGroup, Offer, Plan, PlanFeature, Product


@dataclass
class FeatureMatrix:
    """An offer's plans (columns) and feature groups with their features (rows), and the cells."""

    plans: list[Plan]
    groups: list[FeatureGroup]
    values: dict[tuple[int, int], PlanFeature] = field(default_factory=dict)

    def value(self, plan_id: int, feature_id: int) -> PlanFeature | None:
        return self.values.get((plan_id, feature_id))

    @property
    def is_empty(self) -> bool:
        return not self.plans or not any(group.features.all() for group in self.groups)


def offer_feature_matrix(offer: Offer) -> FeatureMatrix:
    """The plan × feature grid of an offer in three queries, whatever its size."""
    plans = list(offer.plans.all())
    groups = list(offer.feature_groups.prefetch_related("features"))
    values = {
        (value.plan_id, value.feature_id): value
        for value in PlanFeature.objects.filter(plan__offer=offer)
    }
    return FeatureMatrix(plans=plans, groups=groups, values=values)


@dataclass
class TreeNode:
    group: ItemGroup
    children: list[TreeNode] = field(default_factory=list)
    items: list = field(default_factory=list)


def product_variation_tree(product: Product) -> tuple[list[TreeNode], list]:
    """A product's item groups as a tree with their items, plus the items outside any group.

    Two queries: the groups and the items; the tree is put together in memory.
    """
    nodes = {group.pk: TreeNode(group) for group in product.item_groups.all()}
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent = nodes.get(node.group.parent_id)
        (parent.children if parent else roots).append(node)
    loose = []
    for item in product.items.all():
        node = nodes.get(item.group_id)
        (node.items if node else loose).append(item)
    return roots, loose
