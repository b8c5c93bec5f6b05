"""``manage.py load_demo`` loads the seeds' catalog and the demo users, and only once."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command

from catalog.models import (
    Distributor,
    Item,
    ItemGroup,
    ItemPath,
    ItemTranslation,
    Listing,
    Marketplace,
    Offer,
    Plan,
    PlanFeature,
    Product,
    Vendor,
)
from catalog.roles import DISTRIBUTOR, VENDOR_STAFF

pytestmark = pytest.mark.django_db

LOGINS = {
    "admin": "admin-demo-2026",
    "northwind": "northwind-demo-2026",
    "fabrikam": "fabrikam-demo-2026",
    "distributor": "distributor-demo-2026",
}

# Seed 000's table: one string per feature, a cell per plan (Basic, Standard, Premium, Apps).
SEED_000 = [
    (
        "Teamwork and communication",
        [
            ("Teamwork and communication", "✓✓✓·"),
            (
                "Meet online meetings and share files for up to 100 people with Microsoft Teams",
                "✓✓✓·",
            ),
            ("Chat with your team from your desktop or on the go with Microsoft Teams", "✓✓✓·"),
            (
                "Bring together all your team's chats, meetings, files and apps in one central "
                "location and collaborate from one place with Microsoft Teams",
                "✓✓✓·",
            ),
        ],
    ),
    (
        "Web and mobile versions of Office apps",
        [
            ("Web versions of Word, Excel, PowerPoint and Outlook", "✓✓✓✓"),
            ("Plan a work week with Outlook", "✓✓✓✓"),  # once, not three times as in the seed
        ],
    ),
]

BUSINESS_ITEMS = ["O365-BUS-BASIC", "O365-BUS-STANDARD", "O365-BUS-PREMIUM", "O365-BUS-APPS"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def first_run() -> str:
    return load_demo()


def watched_models():
    """Every catalog and pricing model (with history and many-to-many tables), users, groups."""
    User = get_user_model()
    ours = [
        model
        for label in ("catalog", "pricing")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return [*ours, User, User.groups.through]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in watched_models()}


def snapshot() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in watched_models()
    }


def is_history(model) -> bool:
    return model.__name__.startswith("Historical")


def is_bookkeeping(model) -> bool:
    """History, and the revision tokens that the writers of offerings leave."""
    return is_history(model) or model._meta.label == "pricing.OfferingRevision"


def item(product: str, mpn: str) -> Item:
    return Item.objects.get(product__name=product, mpn=mpn)


def test_organizations_and_marketplaces(first_run):
    assert dict(Vendor.objects.values_list("slug", "name")) == {
        "northwind": "Northwind Software",
        "fabrikam": "Fabrikam Apparel",
    }
    markets = {m.code: m for m in Marketplace.objects.all()}
    assert (markets["us"].name, markets["us"].currency, markets["us"].country_list) == (
        "North America",
        "USD",
        ["CA", "US"],
    )
    assert (markets["eu"].name, markets["eu"].currency, markets["eu"].country_list) == (
        "Europe",
        "EUR",
        ["AT", "DE", "FR", "NL"],
    )
    adventure = Distributor.objects.get(slug="adventure")
    assert adventure.name == "Adventure Distribution"
    assert set(adventure.marketplaces.values_list("code", flat=True)) == {"us", "eu"}


def test_products_and_items(first_run):
    products = {(p.vendor.slug, p.name): p for p in Product.objects.select_related("vendor")}
    assert set(products) == {
        ("northwind", "Office 365 (for home)"),
        ("northwind", "Office 365 (for business)"),
        ("northwind", "Windows 10"),
        ("northwind", "Northwind Cloud Platform"),
        ("northwind", "Northwind Daily"),
        ("fabrikam", "Shirt"),
    }
    home = set(products["northwind", "Office 365 (for home)"].items.values_list("mpn", flat=True))
    assert home == {"O365-HOME-PERSONAL", "O365-HOME-FAMILY", "W10-HOME-ADDON", "W10-PRO-ADDON"}

    business = products["northwind", "Office 365 (for business)"]
    for mpn in BUSINESS_ITEMS:
        sku = business.items.get(mpn=mpn)
        assert (sku.kind, sku.billing_period) == ("subscription", "monthly")
        assert set(sku.translations.values_list("locale", flat=True)) >= {"de", "fr"}
    overage = business.items.get(kind=Item.Kind.USAGE)
    assert (overage.name, overage.unit) == ("Exchange Online storage overage", "GB")
    assert ItemTranslation.objects.get(item=overage, locale="de").name

    # Windows 10 sold standalone is a product of its own (seed 001).
    windows = products["northwind", "Windows 10"].items.order_by("mpn")
    assert [(i.name, i.kind, i.billing_period) for i in windows] == [
        ("Windows 10 Home", "one_time", "one_time"),
        ("Windows 10 Pro", "one_time", "one_time"),
    ]


def test_shirt_variation_tree(first_run):
    shirt = Product.objects.get(vendor__slug="fabrikam", name="Shirt")
    colours = shirt.item_groups.filter(parent=None)
    assert [g.name for g in colours] == ["Red", "Blue"]
    for colour in colours:
        sizes = list(colour.children.all())
        assert [g.name for g in sizes] == ["Size S", "Size M", "Size L"]
        for size in sizes:
            (sku,) = size.items.all()
            assert sku.mpn == f"SHIRT-{colour.name.upper()}-{size.name[-1]}"
            assert (sku.kind, sku.billing_period) == ("one_time", "one_time")
            assert sku.group.path == f"{colour.name} / {size.name}"
    assert shirt.items.count() == 6
    assert ItemGroup.objects.filter(product=shirt).count() == 2 + 2 * 3


def test_addons_require_a_home_subscription(first_run):
    home = "Office 365 (for home)"
    for mpn in ("W10-HOME-ADDON", "W10-PRO-ADDON"):
        assert set(item(home, mpn).requires_one_of.values_list("mpn", flat=True)) == {
            "O365-HOME-PERSONAL",
            "O365-HOME-FAMILY",
        }
    assert not item(home, "O365-HOME-PERSONAL").requires_one_of.exists()


def test_upgrade_and_downgrade_paths(first_run):
    def paths(product):
        return set(
            ItemPath.objects.filter(source__product__name=product).values_list(
                "source__mpn", "target__mpn", "kind"
            )
        )

    assert paths("Office 365 (for home)") == {
        ("O365-HOME-PERSONAL", "O365-HOME-FAMILY", "upgrade"),
        ("O365-HOME-FAMILY", "O365-HOME-PERSONAL", "downgrade"),
    }
    assert paths("Office 365 (for business)") >= {
        ("O365-BUS-BASIC", "O365-BUS-STANDARD", "upgrade"),
        ("O365-BUS-STANDARD", "O365-BUS-PREMIUM", "upgrade"),
        ("O365-BUS-PREMIUM", "O365-BUS-STANDARD", "downgrade"),
        ("O365-BUS-STANDARD", "O365-BUS-BASIC", "downgrade"),
    }


def test_business_offer_has_the_feature_matrix_of_seed_000(first_run):
    offer = Offer.objects.get(product__name="Office 365 (for business)", name="For business")
    plans = list(offer.plans.all())
    assert [(p.name, p.position) for p in plans] == [
        ("Basic", 0),
        ("Standard", 1),
        ("Premium", 2),
        ("Apps", 3),
    ]
    included = set(
        PlanFeature.objects.filter(plan__offer=offer, included=True).values_list(
            "plan_id", "feature_id"
        )
    )
    matrix = [
        (
            group.name,
            [
                (
                    feature.name,
                    "".join("✓" if (p.pk, feature.pk) in included else "·" for p in plans),
                )
                for feature in group.features.all()
            ],
        )
        for group in offer.feature_groups.all()
    ]
    assert matrix == SEED_000

    apps_plan = offer.plans.get(name="Apps")
    teamwork, web = offer.feature_groups.all()
    assert not apps_plan.feature_values.filter(feature__group=teamwork, included=True).exists()
    assert apps_plan.feature_values.filter(feature__group=web, included=True).count() == 2
    names = [
        feature.name for group in offer.feature_groups.all() for feature in group.features.all()
    ]
    assert len(names) == len(set(names)), "a feature repeated in the demo's matrix"
    assert PlanFeature.objects.filter(plan__offer=offer, text="up to 300 users").count() == 3

    # Each plan provides its item.
    assert [list(p.plan_items.values_list("item__mpn", "quantity")) for p in plans] == [
        [(mpn, 1)] for mpn in BUSINESS_ITEMS
    ]


def test_home_and_shirt_offers(first_run):
    home = Offer.objects.get(product__name="Office 365 (for home)", name="For home")
    assert list(home.plans.values_list("name", flat=True)) == ["Personal", "Family"]
    assert home.feature_groups.count() >= 1
    assert PlanFeature.objects.filter(plan__offer=home, text="1 TB").exists()
    assert set(Plan.objects.filter(offer=home).values_list("name", "plan_items__item__mpn")) == {
        ("Personal", "O365-HOME-PERSONAL"),
        ("Family", "O365-HOME-FAMILY"),
    }

    shirts = Offer.objects.get(product__name="Shirt", name="Shirts")
    (plan,) = shirts.plans.all()
    assert plan.plan_items.count() == 6


def test_listings(first_run):
    assert set(Listing.objects.values_list("offer__name", "marketplace__code", "status")) == {
        ("For business", "us", "listed"),
        ("For business", "eu", "listed"),
        ("For home", "us", "listed"),
        ("For home", "eu", "draft"),
        ("Pay as you grow", "us", "listed"),
        ("Shirts", "eu", "listed"),
    }


def test_users_roles_and_passwords(first_run):
    User = get_user_model()
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == set(LOGINS)
    for username, password in LOGINS.items():
        assert users[username].check_password(password), username
        validate_password(password, users[username])  # no validator objects to the demo ones

    admin = users["admin"]
    assert admin.is_superuser and admin.is_staff
    assert not hasattr(admin, "membership")

    for username, slug in (("northwind", "northwind"), ("fabrikam", "fabrikam")):
        staff = users[username]
        assert staff.is_staff and not staff.is_superuser
        assert staff.membership.vendor.slug == slug
        assert staff.membership.distributor is None
        assert list(staff.groups.values_list("name", flat=True)) == [VENDOR_STAFF]
        assert staff.has_perm("catalog.change_item")

    distributor = users["distributor"]
    assert not distributor.is_staff and not distributor.is_superuser
    assert distributor.membership.distributor.slug == "adventure"
    assert distributor.membership.vendor is None
    assert list(distributor.groups.values_list("name", flat=True)) == [DISTRIBUTOR]
    assert not distributor.get_all_permissions()


def test_output_lists_every_login(first_run):
    assert "http://127.0.0.1:8000/admin/" in first_run
    for username, password in LOGINS.items():
        assert re.search(rf"^\s*{username}\s+{re.escape(password)}\s", first_run, re.M), username


def test_first_run_counts_what_it_created(first_run):
    # The database held no catalog rows and no users before: every row counted is new.
    created = sum(
        model._default_manager.count() for model in watched_models() if not is_bookkeeping(model)
    )
    assert f"created {created} rows" in first_run
    assert not re.search(r"(\(|, )0 ", first_run), first_run  # only kinds it created are named


def test_every_demo_row_passes_model_validation(first_run):
    for model in apps.get_app_config("catalog").get_models():
        if is_history(model):
            continue
        for row in model._default_manager.all():
            row.full_clean()


def test_second_run_changes_nothing(first_run):
    counts, rows = row_counts(), snapshot()
    assert counts["catalog.HistoricalItem"] == counts["catalog.Item"] > 0

    second_run = load_demo()

    assert "nothing to do: demo data already present" in second_run
    assert "created" not in second_run
    assert row_counts() == counts
    assert snapshot() == rows  # not a row changed, not a history row added
    for username, password in LOGINS.items():
        assert username in second_run and password in second_run


def test_rerun_recreates_only_what_is_missing_and_keeps_edits(first_run):
    Listing.objects.filter(offer__name="For home", marketplace__code="eu").delete()
    ItemTranslation.objects.filter(item__mpn="O365-BUS-BASIC", locale="fr").delete()
    # Edits made in the admin after the load must survive a reload.
    Plan.objects.filter(name="Basic").update(description="Edited by the vendor")
    PlanFeature.objects.filter(text="up to 300 users").update(text="up to 250 users")
    ItemTranslation.objects.filter(item__mpn="O365-BUS-BASIC", locale="de").update(name="Basis")
    before = row_counts()

    output = load_demo()

    assert "created 2 rows" in output
    after = row_counts()
    assert {
        label: after[label] - before[label] for label in after if after[label] != before[label]
    } == {
        "catalog.Listing": 1,
        "catalog.HistoricalListing": 1,
        "catalog.ItemTranslation": 1,
        "catalog.HistoricalItemTranslation": 1,
    }
    assert Listing.objects.get(offer__name="For home", marketplace__code="eu").status == "draft"
    assert Plan.objects.get(name="Basic").description == "Edited by the vendor"
    assert PlanFeature.objects.filter(text="up to 250 users").count() == 3
    assert ItemTranslation.objects.get(item__mpn="O365-BUS-BASIC", locale="de").name == "Basis"
