"""Every admin history page (catalog and pricing) says fields and values in words: verbose
names, choice labels, related rows by name, "—" for nothing (never "None"), every date in
the one format of ``catalog.wording``; and it runs the same queries for few versions or many.

Generated from the admin registry: a new model with history is covered without editing this
test. Each row gets one changed version whose values are the hard cases: another choice,
nothing where nothing is allowed, another related row, a flipped flag, another date.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.admin_base import ScopedAdmin
from catalog.history import tracked_fields
from catalog.wording import EMPTY

pytestmark = pytest.mark.django_db

WITH_HISTORY = sorted(
    (
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedAdmin)
    ),
    key=lambda model: model._meta.label,
)
IDS = [model._meta.label for model in WITH_HISTORY]
CHANGE = re.compile(
    r'<li><strong>(?P<label>[^<]*)</strong>: <span class="old">(?P<old>[^<]*)</span> → '
    r'<span class="new">(?P<new>[^<]*)</span></li>'
)
WHEN = re.compile(r'<td class="when"[^>]*>(?:<a [^>]*>)?([^<]*)<')
ONE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
OTHER_FORMATS = re.compile(r"\b(a\.m\.|p\.m\.|midnight|noon|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.)")


def hard_value(field: models.Field, value):
    """Another value of the field, as hard to word as it gets."""
    if field.null and value is not None:
        return None
    if field.flatchoices:
        others = [key for key, _ in field.flatchoices if key != value and key not in ("", None)]
        return others[0] if others else value
    if field.is_relation:
        other = field.remote_field.model._base_manager.exclude(pk=value).order_by("pk").first()
        return other.pk if other else value
    if isinstance(field, models.CharField | models.TextField) and value:
        return f"{value[: (field.max_length or 99) - 1]}2"
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DateTimeField):
        return (value or timezone.now()) - timedelta(days=1)
    if isinstance(field, models.DateField):
        return (value or timezone.localdate()) - timedelta(days=1)
    return value


def add_hard_version(row: models.Model, at) -> dict[str, object]:
    """A changed version of the row, written to its history only (what a page reads);
    returns the fields it changed with their new raw values."""
    record = row.history.order_by("-history_date", "-history_id").first()
    changed = {}
    for field in tracked_fields(record):
        value = getattr(record, field.attname)
        new = hard_value(field, value)
        if new != value:
            setattr(record, field.attname, new)
            changed[field.name] = new
    record.history_id, record.history_type, record.history_date = None, "~", at
    record.history_change_reason = ""
    record.save()
    return changed


def history_page(client, row):
    opts = row._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[row.pk])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def first_row(model):
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"the demo has no {model._meta.label}"
    return row


@pytest.fixture
def demo(shared_demo, db):
    return shared_demo


@pytest.mark.parametrize("model", WITH_HISTORY, ids=IDS)
def test_a_history_page_words_every_change(superuser_client, demo, model):
    row = first_row(model)
    changed = add_hard_version(row, timezone.now() + timedelta(seconds=1))
    assert changed, f"nothing of {model._meta.label} could change"

    page = history_page(superuser_client, row)
    changes = [
        {k: html.unescape(v) for k, v in m.groupdict().items()} for m in CHANGE.finditer(page)
    ]

    labels = {c["label"] for c in changes}
    for name, new in changed.items():
        field = model._meta.get_field(name)
        label = str(field.verbose_name)
        assert label[:1].upper() + label[1:] in labels, f"{model._meta.label}.{name} unnamed"
        said = next(c["new"] for c in changes if c["label"].lower() == label.lower())
        if new is None:
            assert said == EMPTY, (name, said)
        elif field.flatchoices:
            choice = str(dict(field.flatchoices)[new])
            assert said in (choice, f"No {field.verbose_name}"), (name, said)
        elif field.is_relation:
            named = field.remote_field.model._base_manager.get(pk=new)
            assert said == str(named), (name, said)
    for change in changes:
        assert "None" not in (change["old"], change["new"]), change
    assert not OTHER_FORMATS.search(page)
    dates = WHEN.findall(page)
    assert dates and all(ONE_FORMAT.match(date) for date in dates), dates


@pytest.mark.parametrize("model", WITH_HISTORY, ids=IDS)
def test_a_history_page_runs_the_same_queries_for_few_versions_or_many(
    superuser_client, demo, model, django_assert_max_num_queries
):
    row = first_row(model)
    start = timezone.now() + timedelta(seconds=1)
    add_hard_version(row, start)
    history_page(superuser_client, row)  # warms the session's caches
    with CaptureQueriesContext(connection) as few:
        history_page(superuser_client, row)
    for step in range(1, 6):
        add_hard_version(row, start + timedelta(seconds=step))

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = history_page(superuser_client, row)

    assert len(WHEN.findall(page)) >= 6
