"""Role groups are kept in step with the models after every migrate."""

import pytest
from django.contrib.auth.models import Group

from catalog.roles import DISTRIBUTOR, VENDOR_STAFF, ensure_role_groups

pytestmark = pytest.mark.django_db


def test_vendor_staff_edit_the_catalog_and_only_view_marketplaces(vendor_user):
    assert vendor_user.has_perm("catalog.change_item")
    assert vendor_user.has_perm("catalog.add_planfeature")
    assert vendor_user.has_perm("catalog.delete_listing")
    assert vendor_user.has_perm("catalog.view_marketplace")
    assert not vendor_user.has_perm("catalog.change_marketplace")
    assert not vendor_user.has_perm("catalog.add_vendor")
    assert not vendor_user.has_perm("catalog.view_membership")
    assert not vendor_user.has_perm("auth.change_user")


def test_distributors_have_no_permissions(distributor_member):
    assert not distributor_member.get_all_permissions()
    assert not distributor_member.is_staff


def test_ensure_role_groups_is_idempotent():
    ensure_role_groups()
    before = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    ensure_role_groups()
    after = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert before == after
    assert set(after) >= {VENDOR_STAFF, DISTRIBUTOR}
    # 17 catalog models (4 of them offer, plan, feature-group and feature translations), 11
    # pricing ones; + view marketplace, vendor, refusal.
    assert len(after[VENDOR_STAFF]) == (17 + 11) * 4 + 3
