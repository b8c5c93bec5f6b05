"""Catalog API views (filled in by the catalog API work)."""

ROUTES: list = []
