"""The charge-model registry is the one definition of a price: the database, the model, the
API schema, the admin form and the snapshot all agree with it, field by field."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.migrations.loader import MigrationLoader
from drf_spectacular.generators import SchemaGenerator

from catalog.tests.generated import report
from pricing import pricebook
from pricing.admin_prices import PriceIntervalInline, PriceTierInline
from pricing.api.serializers import IntervalSerializer, PriceBookItemSerializer, TierSerializer
from pricing.forms_prices import PriceBookItemForm
from pricing.models import PriceBookItem, PriceInterval, PriceTier
from pricing.pricebook import fields, snapshot, structure, validation
from pricing.pricebook.wording import Wording, price_sentence

MODELS = list(pricebook.REGISTRY.values())
ROWS = {"price": PriceBookItem, "interval": PriceInterval, "tier": PriceTier}
ENGINE = {"price": structure.PriceBook, "interval": structure.Interval, "tier": structure.Tier}
SPECS = {
    "price": validation.PriceSpec,
    "interval": validation.IntervalSpec,
    "tier": validation.TierSpec,
}


def constraint_models(constraints) -> set[str]:
    (check,) = [c for c in constraints if c.name == "price_book_item_known_charge_model"]
    ((lookup, names),) = check.condition.children
    assert lookup == "charge_model__in"
    return set(names)


def test_the_model_offers_exactly_the_registered_charge_models():
    field = PriceBookItem._meta.get_field("charge_model")
    assert field.choices == [(model.name, model.label) for model in MODELS]
    assert field.max_length >= max(len(model.name) for model in MODELS)


@pytest.mark.django_db
def test_the_database_constraint_and_the_migrations_name_exactly_the_registered_models():
    """Adding a charge model without its migration (or the reverse) fails here."""
    registered = set(pricebook.REGISTRY)
    assert constraint_models(PriceBookItem._meta.constraints) == registered
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    migrated = state.apps.get_model("pricing", "PriceBookItem")._meta.constraints
    assert constraint_models(migrated) == registered
    out = io.StringIO()
    call_command("makemigrations", "pricing", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_the_database_refuses_an_unregistered_charge_model(sellable):
    pbi = PriceBookItem.objects.filter(rate=sellable["rate"]).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceBookItem.objects.filter(pk=pbi.pk).update(charge_model="rental")


@pytest.mark.parametrize("level", ["price", "interval", "tier"])
def test_every_catalog_field_is_a_column_an_engine_attribute_and_a_spec_attribute(level):
    for field in (f for f in fields.FIELDS if f.level == level):
        ROWS[level]._meta.get_field(field.name)  # a column (FieldDoesNotExist otherwise)
        assert field.name in ENGINE[level].__dataclass_fields__, field.key
        assert field.name in SPECS[level].__dataclass_fields__, field.key


@pytest.fixture(scope="module")
def schema_components():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["components"]["schemas"]


def written_by_api() -> dict[str, set[str]]:
    return {
        "price": set(PriceBookItemSerializer.Meta.fields),
        "interval": set(IntervalSerializer.Meta.fields),
        "tier": set(TierSerializer.Meta.fields),
    }


def in_admin() -> dict[str, set[str]]:
    interval_fields = {name for row in PriceIntervalInline.fields for name in row}
    return {
        "price": set(PriceBookItemForm.base_fields),
        "interval": interval_fields,
        "tier": set(PriceTierInline.fields),
    }


def in_snapshot() -> dict[str, set[str]]:
    tier = structure.Tier(Decimal(0), None, Decimal(1))
    book = structure.PriceBook("tiered", (structure.Interval("infinity", tiers=(tier,)),), "USD")
    dumped = snapshot.dump(book, role="charge", period_months=1, one_time=False)
    return {
        "price": set(dumped),
        "interval": set(dumped["intervals"][0]),
        "tier": set(dumped["intervals"][0]["tiers"][0]),
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.name)
def test_every_field_a_model_reads_is_in_the_api_its_schema_the_admin_and_the_snapshot(
    model, schema_components
):
    schema = {
        "price": set(schema_components["PriceBookItemRequest"]["properties"]),
        "interval": set(schema_components["IntervalRequest"]["properties"]),
        "tier": set(schema_components["TierRequest"]["properties"]),
    }
    places = {
        "API serializer": written_by_api(),
        "API schema": schema,
        "admin form": in_admin(),
        "snapshot": in_snapshot(),
    }
    missing = [
        f"{key} not in the {place}"
        for key in sorted(model.fields)
        for place, names in places.items()
        if key.split(".")[1] not in names[key.split(".")[0]]
    ]
    assert not missing
    report("charge-model fields checked in API, schema, admin and snapshot", len(model.fields))


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.name)
def test_every_registered_model_is_complete(model):
    """A name, a label, a summary, a period's amount, and a sentence for people."""
    assert model.name and model.label and model.summary
    tiers = (structure.Tier(Decimal(0), Decimal(10), Decimal(2), flat_amount=Decimal(5)),)
    interval = structure.Interval(
        "infinity",
        price=Decimal(3),
        included_units=Decimal(1),
        overage_price=Decimal(4),
        package_size=Decimal(5),
        tiers=(*tiers, structure.Tier(Decimal(10), None, Decimal(1)))
        if model.name != "tiered_with_overage"
        else tiers,
    )
    amount = pricebook.period_amount(model.name, interval, Decimal(12), deliveries=4)
    assert amount > 0 and isinstance(amount, Decimal)
    book = structure.PriceBook(model.name, (interval,), "USD", frozenset({6}))
    words = price_sentence(book, Wording("USD", "en", "seat", "subscription", "monthly"))
    assert words and "None" not in words
    schedule = pricebook.schedule(book, quantity=Decimal(12), start=date(2026, 1, 1), periods=2)
    assert schedule.total > 0
