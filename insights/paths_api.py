"""Upgrade paths in the API (read-only):

- ``GET /api/v1/products/{id}/paths/``: the product's items (nodes, with their upgrade level
  and marks), paths (edges, with marks), loops and the marks' meanings, as JSON;
- ``GET /api/v1/products/{id}/paths.svg``: the same graph drawn (``image/svg+xml``).

Who sees what is ``visible_to``: another organization's product is a 404, a distributor's
graph holds only the items and paths it may see (no drafts). Errors are the API's shape.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.base import ThrottledFirstMixin
from catalog.api.schema import ErrorSerializer
from catalog.models import Item, ItemPath, Product
from insights.paths import MARKS, product_paths
from insights.svg import describe, render_svg

SVG = "image/svg+xml"
NODE_MARKS = ("cycle", "dead_end", "inactive", "draft")
EDGE_MARKS = ("cycle", "to_inactive", "to_draft")


class PathNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    mpn = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Item.Status.choices)
    level = serializers.IntegerField(
        source="rank", help_text="Upgrade depth: 0 for an item with nothing below it."
    )
    marks = serializers.ListField(child=serializers.ChoiceField(choices=NODE_MARKS))


class PathEdgeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="The item path's id.")
    source = serializers.IntegerField(help_text="The item the path leaves from.")
    target = serializers.IntegerField(help_text="The item the path leads to.")
    kind = serializers.ChoiceField(choices=ItemPath.Kind.choices)
    marks = serializers.ListField(child=serializers.ChoiceField(choices=EDGE_MARKS))


class ProductPathsSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product.pk")
    description = serializers.CharField(help_text="The graph in a few sentences.")
    nodes = PathNodeSerializer(many=True)
    edges = PathEdgeSerializer(many=True)
    cycles = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Each loop of paths: its items' ids.",
    )
    marks = serializers.DictField(
        child=serializers.CharField(), help_text="Each mark found in the graph: its meaning."
    )


class PathsView(ThrottledFirstMixin, APIView):
    """Answers JSON whatever the ``Accept`` header (the SVG is a plain HttpResponse), so an
    error is always the API's error shape."""

    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    def graph(self, pk: int):
        product = get_object_or_404(Product.objects.visible_to(self.request.user), pk=pk)
        return product_paths(product, user=self.request.user)


PRODUCT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such product visible.")}


class ProductPathsView(PathsView):
    @extend_schema(
        operation_id="products_paths",
        tags=["products"],
        parameters=[PRODUCT_ID],
        responses={200: ProductPathsSerializer, **NOT_FOUND},
    )
    def get(self, request, pk: int):
        """A product's items and upgrade/downgrade paths as a graph: loops, dead ends and
        paths to inactive or draft items marked (the drawing: ``paths.svg``)."""
        graph = self.graph(pk)
        data = {
            "product": graph.product,
            "description": describe(graph),
            "nodes": graph.nodes,
            "edges": graph.edges,
            "cycles": graph.cycles,
            "marks": {mark: MARKS[mark] for mark in graph.marks_used},
        }
        return Response(ProductPathsSerializer(data).data)


class ProductPathsSvgView(PathsView):
    @extend_schema(
        operation_id="products_paths_svg",
        tags=["products"],
        parameters=[PRODUCT_ID],
        responses={
            (200, SVG): OpenApiResponse(OpenApiTypes.STR, description="The graph as SVG."),
            **NOT_FOUND,
        },
    )
    def get(self, request, pk: int):
        """A product's upgrade and downgrade paths drawn as an SVG picture (with a title,
        a description and a legend)."""
        graph = self.graph(pk)
        svg = render_svg(graph, dom_id=f"paths-{graph.product.pk}", standalone=True)
        return HttpResponse(svg, content_type=f"{SVG}; charset=utf-8")
