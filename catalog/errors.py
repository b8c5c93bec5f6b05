"""Domain errors: one class per situation, each with a stable ``code`` clients match on."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks a business rule; nothing was changed."""

    code = "DOMAIN_ERROR"
    http_status = 400
    message = "The request breaks a business rule."

    def __init__(self, message: str | None = None, *, errors: dict | None = None, **details):
        super().__init__(message or self.message)
        self.errors = errors or {}
        self.details = details

    @property
    def detail(self) -> str:
        return str(self)
