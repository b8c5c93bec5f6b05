"""Admin pickers that offer only what can be chosen.

A foreign-key picker lists the rows the rules would accept for the row being edited: an
item's group among its own product's groups, an upgrade path's target among the items the
path rules accept, an add-on's base likewise. The rules stay with their owners (the models'
``clean`` and the services); a picker asks them for the rows they refuse and leaves those out.

Django's autocomplete asks the target model's admin (``get_search_results``) with the
source field in the query (``app_label``, ``model_name``, ``field_name``). The page adds
what it knows about the row being edited to the widget's URL (``forward``), and
``PickerSearchMixin`` narrows the results with the rule registered for that source field
(``PICKERS``). What is posted is checked by the field's own (narrowed) queryset and, last,
by the service.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper

from catalog.models import AddOnRequirement, Item, ItemGroup, ItemPath
from catalog.models.items import without_refused

# (app label, model name, field name) of the field being filled in → (request, queryset of
# the candidates) → the candidates that may be chosen.
PickerRule = Callable[..., object]
PICKERS: dict[tuple[str, str, str], PickerRule] = {}


def picker(app_label: str, model_name: str, field_name: str):
    """Register the rule that narrows the autocomplete of one foreign-key field."""

    def register(rule: PickerRule) -> PickerRule:
        PICKERS[(app_label, model_name, field_name)] = rule
        return rule

    return register


class ForwardingAutocomplete(AutocompleteSelect):
    """Django's autocomplete widget, whose requests carry what the page knows (``params``)."""

    def __init__(self, *args, params: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.params = params or {}

    def get_url(self) -> str:
        url = super().get_url()
        return f"{url}?{urlencode(self.params)}" if self.params else url


def forward(field, queryset=None, **params) -> None:
    """Narrow a form field's choices to ``queryset`` and, for an autocomplete widget, send
    ``params`` with its searches (read back with ``forwarded``)."""
    if queryset is not None:
        field.queryset = queryset
    wrapper = field.widget
    inner = wrapper.widget if isinstance(wrapper, RelatedFieldWidgetWrapper) else wrapper
    if isinstance(inner, AutocompleteSelect) and params:
        replacement = ForwardingAutocomplete(
            inner.field, inner.admin_site, attrs=inner.attrs, using=inner.db, params=params
        )
        replacement.choices = inner.choices
        if inner is wrapper:
            field.widget = replacement
        else:
            wrapper.widget = replacement


def forwarded(request, name: str) -> int | None:
    """An id the picker's page sent along, or None when absent or not a number."""
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None


def picker_source(request) -> tuple[str, str, str]:
    get = request.GET
    return (get.get("app_label", ""), get.get("model_name", ""), get.get("field_name", ""))


class PickerSearchMixin:
    """For the admin of a model other pages pick rows of: its autocomplete applies the rule
    registered for the field being filled in, if any."""

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        is_autocomplete = getattr(request.resolver_match, "url_name", "") == "autocomplete"
        if is_autocomplete and (rule := PICKERS.get(picker_source(request))):
            queryset = rule(request, queryset)
        return queryset, may_have_duplicates


# --- The catalog's pickers -----------------------------------------------------------------


def item_group_choices(queryset, product_id: int | None, group=None):
    """A product's groups, printed with their paths; for a group's parent, less the group
    and its subgroups (``ItemGroup.clean`` refuses a cycle)."""
    queryset = queryset.with_paths()
    if product_id is None:
        return queryset
    queryset = queryset.filter(product_id=product_id)
    if group is not None and group.pk:
        queryset = queryset.exclude(pk__in=subtree_ids(group))
    return queryset


def subtree_ids(group) -> set[int]:
    """The group and every group under it, from one query of its product's groups."""
    children: dict[int | None, list[int]] = {}
    rows = ItemGroup._base_manager.filter(product_id=group.product_id)
    for pk, parent_id in rows.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [group.pk]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return found


def path_target_choices(queryset, source):
    return without_refused(queryset, ItemPath.refused_targets(source))


def addon_base_choices(queryset, addon):
    return without_refused(queryset, AddOnRequirement.refused_bases(addon))


def visible(model, request, pk: int | None):
    """The row ``pk`` if the user may see it, else None."""
    if pk is None:
        return None
    return model.objects.visible_to(request.user).filter(pk=pk).first()


@picker("catalog", "item", "group")
def pick_item_group(request, queryset):
    return item_group_choices(queryset, forwarded(request, "product"))


@picker("catalog", "itemgroup", "parent")
def pick_parent_group(request, queryset):
    group = visible(ItemGroup, request, forwarded(request, "group"))
    return item_group_choices(queryset, forwarded(request, "product"), group)


@picker("catalog", "itempath", "target")
def pick_path_target(request, queryset):
    source = visible(Item, request, forwarded(request, "item"))
    return queryset if source is None else path_target_choices(queryset, source)


@picker("catalog", "addonrequirement", "base")
def pick_addon_base(request, queryset):
    addon = visible(Item, request, forwarded(request, "item"))
    return queryset if addon is None else addon_base_choices(queryset, addon)
