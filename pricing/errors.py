"""Pricing's domain errors."""

from catalog.errors import DomainError


class InvalidOfferingComposition(DomainError):
    code = "INVALID_OFFERING_COMPOSITION"
    message = "The offering's items do not fit its type."


class DuplicatePriceBookItem(DomainError):
    code = "DUPLICATE_PRICE_BOOK_ITEM"
    message = "An equal price book item already exists in this offering."


class InvalidPriceBookItem(DomainError):
    code = "INVALID_PRICE_BOOK_ITEM"
    message = "The price book item's intervals, tiers or attributes are not valid."
