"""A processed quote always says when it was processed, and only a processed quote does: the
database refuses a row that says otherwise, whichever path writes it (the audit orders sales
by that time)."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from pricing.models import Quote
from pricing.tests.conftest import processed_quote
from pricing.tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db


def test_a_processed_quote_without_its_time_is_refused_by_the_database():
    quote = QuoteFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.PROCESSED)

    assert Quote.objects.get(pk=quote.pk).status == Quote.Status.DRAFT


@pytest.mark.parametrize("status", [Quote.Status.DRAFT, Quote.Status.CANCELLED])
def test_only_a_processed_quote_has_a_processed_time(status):
    quote = QuoteFactory(status=status)

    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(processed_at=timezone.now())

    assert Quote.objects.get(pk=quote.pk).processed_at is None


def test_a_sale_sets_both(sellable):
    quote = processed_quote(sellable)

    stored = Quote.objects.get(pk=quote.pk)
    assert stored.status == Quote.Status.PROCESSED and stored.processed_at is not None
