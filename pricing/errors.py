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


class OfferingLocked(DomainError):
    code = "OFFERING_LOCKED"
    http_status = 409
    message = "The offering is in use; clone it to change its items."


class RateLocked(DomainError):
    code = "RATE_LOCKED"
    http_status = 409
    message = "The rate priced a processed quote or contract; inactivate it instead."


class OfferingUnavailable(DomainError):
    code = "OFFERING_UNAVAILABLE"
    message = "The offering is not available."


class RateUnavailable(DomainError):
    code = "RATE_UNAVAILABLE"
    message = "The rate cannot be used for this quote."


class PriceMissing(DomainError):
    code = "PRICE_MISSING"
    message = "The rate has no price for this item."


class RequiredItemMissing(DomainError):
    code = "REQUIRED_ITEM_MISSING"
    message = "A required item of the offering is missing from the quote."


class AddOnBaseMissing(DomainError):
    code = "ADDON_BASE_MISSING"
    message = "An add-on is quoted without any of its base items."


class MinCommitConflict(DomainError):
    code = "MIN_COMMIT_CONFLICT"
    message = "A contract holds at most one minimum-commitment offering."


class QuoteNotDraft(DomainError):
    code = "QUOTE_NOT_DRAFT"
    http_status = 409
    message = "Only a draft quote can be processed or changed."


class TermOutOfRange(DomainError):
    code = "TERM_OUT_OF_RANGE"
    message = "The term is outside the bounds of a quote or preview."


class PreviewTooLarge(DomainError):
    code = "PREVIEW_TOO_LARGE"
    message = "The preview asks for more lines or periods than one preview computes."


class QuoteTooLarge(DomainError):
    code = "QUOTE_TOO_LARGE"
    message = "A quote holds at most MAX_QUOTE_LINES lines."
