"""Every page of the admin that writes, generated from the admin site, refuses what it must.

With the demo data loaded, as Northwind's staff, for every registered model admin: another
vendor's row through the change page, the delete page, ``delete_selected``, every other
action and ``list_editable``; what was sold (processed quotes, contracts) through its change
and delete pages and the bulk delete; a quote's status through the add and change pages; and
every inline of every own change page with its first row's id swapped for another row's.
Each post must be refused (404, 403, or the page again with a message), never a 5xx, and
change no row of the catalog or pricing tables.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from catalog.models import Vendor
from catalog.tests.admin_forms import change_form_data
from catalog.tests.generated import report
from pricing.models import Contract, Quote

pytestmark = pytest.mark.django_db
APPS = ("catalog", "pricing")
# A refused change to a locked offering is recorded: that record is the refusal, not a change.
AUDIT = {"pricing.LockRefusal"}


def table_rows() -> dict:
    """Every row of the catalog and pricing tables, history included, as plain values (the
    record of refusals left out)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label in APPS and model._meta.label not in AUDIT
    }


class Matrix:
    def __init__(self, client, user):
        self.client = client
        self.request = RequestFactory().get("/admin/")
        self.request.user = user
        self.tried = 0

    def refused(self, url: str, data: dict, why: str, *, says: bool = True) -> None:
        before = table_rows()
        response = self.client.post(url, data, follow=True)
        self.tried += 1
        status = response.status_code
        assert status < 500, f"{why}: {url} answered {status}"
        if status == 200 and says:
            page = response.content.decode()
            refused = any(
                mark in page
                for mark in ("errornote", "errorlist", '<li class="error"', '<li class="warning"')
            )
            assert refused or "Cannot delete" in page, f"{why}: {url} said nothing"
        elif status != 200:
            assert status in (400, 403, 404, 405), f"{why}: {url} answered {status}"
        assert table_rows() == before, f"{why}: {url} changed rows"


def registered():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
    ]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def matrix(shared_demo, db, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="northwind")
    client.force_login(user)
    return Matrix(client, user)


def foreign_row(model, northwind: Vendor):
    manager = model._default_manager
    if not hasattr(manager, "for_vendor"):
        return None
    return manager.exclude(pk__in=manager.for_vendor(northwind).values("pk")).first()


def test_no_admin_page_writes_what_it_must_not(matrix):
    northwind = Vendor.objects.get(slug="northwind")
    assert Vendor.objects.exclude(pk=northwind.pk).exists()
    models_tried = 0
    for model, model_admin in registered():
        other = foreign_row(model, northwind)
        if other is None:
            continue
        models_tried += 1
        why = f"another vendor's {model._meta.model_name}"
        matrix.refused(url(model, "change", other.pk), {}, why)
        matrix.refused(url(model, "delete", other.pk), {"post": "yes"}, why)
        changelist = url(model, "changelist")
        # An action on a row the user may not see does nothing and says so; an action the
        # user lacks is not there at all (the list is shown again).
        mine = model_admin.get_queryset(matrix.request).first()
        available = model_admin.get_actions(matrix.request)
        for action in [func.__name__ for func, *_ in model_admin._get_base_actions()]:
            for selected in ([other.pk], [mine.pk, other.pk] if mine else None):
                if selected is None:
                    continue
                matrix.refused(
                    changelist,
                    {"action": action, "_selected_action": selected, "post": "yes"},
                    f"{why}, action {action} on {len(selected)} rows",
                    says=action in available,
                )
        if model_admin.list_editable:
            data = {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": str(other.pk),
                "_save": "Save",
            }
            for field in model_admin.list_editable:
                value = getattr(other, model._meta.get_field(field).attname)
                data[f"form-0-{field}"] = "" if value is None else str(value)
            matrix.refused(changelist, data, f"{why}, list_editable")
    assert models_tried >= 10

    for sold in [*Quote.objects.exclude(status="draft"), *Contract.objects.all()]:
        model, why = type(sold), f"sold {sold}"
        matrix.refused(url(model, "delete", sold.pk), {"post": "yes"}, why)
        matrix.refused(
            url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [sold.pk], "post": "yes"},
            why,
        )
        matrix.refused(url(model, "change", sold.pk), {"customer": "Changed"}, why)

    report("admin write-path matrix: refused posts", matrix.tried)
    assert matrix.tried >= 40


def test_no_inline_takes_another_rows_id(matrix):
    """An inline's row id swapped for another row's (same model, other parent) is refused."""
    tried = 0
    for model, model_admin in registered():
        for obj in model_admin.get_queryset(matrix.request)[:3]:
            page = matrix.client.get(url(model, "change", obj.pk))
            if page.status_code != 200 or "adminform" not in (page.context or {}):
                continue
            data = change_form_data(page)
            for inline in page.context["inline_admin_formsets"]:
                formset = inline.formset
                if not formset.initial_forms:
                    continue
                own = {form.instance.pk for form in formset.initial_forms}
                stranger = formset.model._base_manager.exclude(pk__in=own).first()
                if stranger is None:
                    continue
                id_field = f"{formset.prefix}-0-{formset.model._meta.pk.name}"
                tampered = {**data, id_field: stranger.pk}
                matrix.refused(
                    url(model, "change", obj.pk),
                    tampered,
                    f"{model._meta.model_name} {obj.pk}: {formset.prefix} id tampered",
                )
                tried += 1
    report("admin write-path matrix: tampered inline ids", tried)
    assert tried >= 5


def test_no_history_page_saves_an_old_version(matrix):
    """The history pages only show old versions (revert is off): a crafted POST of one is a
    403, or it would write the row around its service (a quote's status, a rate's prices)."""
    tried = 0
    for model, model_admin in registered():
        if not hasattr(model, "history"):
            continue
        obj = model_admin.get_queryset(matrix.request).first()
        version = obj and model.history.filter(**{model._meta.pk.attname: obj.pk}).first()
        if version is None:
            continue
        info = model._meta.app_label, model._meta.model_name
        history_url = reverse(
            "admin:{}_{}_simple_history".format(*info), args=[obj.pk, version.history_id]
        )
        page = matrix.client.get(history_url)
        if page.status_code != 200:  # no history permission: nothing to post back
            assert page.status_code == 403, history_url
            continue
        data = change_form_data(page)
        if "status" in data:
            data["status"] = "processed"
        matrix.refused(history_url, data, f"{model._meta.model_name} {obj.pk}: old version")
        tried += 1
    report("admin write-path matrix: history page posts", tried)
    assert tried >= 10


def test_a_quotes_status_is_never_posted_into_being(matrix):
    draft = Quote.objects.get(status="draft", vendor__slug="northwind")
    data = change_form_data(matrix.client.get(url(Quote, "change", draft.pk)))
    data["status"] = "processed"

    matrix.client.post(url(Quote, "change", draft.pk), data)

    assert Quote.objects.get(pk=draft.pk).status == "draft"
    report("admin write-path matrix: quote status posts", 1)
