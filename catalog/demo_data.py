"""The demo catalog as data: organizations, products and items, offers with their plans,
feature matrix and listings, and the demo users (``manage.py load_demo`` loads them).

The catalog follows the seeds: Northwind Software sells Microsoft 365-style products (home
and business subscriptions, Windows 10 add-ons and the standalone Windows 10 product) with
the feature matrix of seed 000 and a cloud platform priced by ``pricing/demo.py``; Fabrikam
Apparel sells the shirt of seed 001 (colour → size tree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from catalog.models import Item, ItemPath, Listing
from catalog.roles import DISTRIBUTOR, VENDOR_STAFF
from catalog.services import MatrixCell

LOGIN_URL = "http://127.0.0.1:8000/admin/"

ONE_TIME = Item.Kind.ONE_TIME
SUBSCRIPTION = Item.Kind.SUBSCRIPTION
USAGE = Item.Kind.USAGE
UPGRADE = ItemPath.Kind.UPGRADE
DOWNGRADE = ItemPath.Kind.DOWNGRADE
LISTED = Listing.Status.LISTED
DRAFT = Listing.Status.DRAFT

# --- Organizations ---------------------------------------------------------------------

VENDORS = {"northwind": "Northwind Software", "fabrikam": "Fabrikam Apparel"}

MARKETPLACES = [
    # code, name, currency, countries
    ("us", "North America", "USD", "US, CA"),
    ("eu", "Europe", "EUR", "DE, FR, NL, AT"),
]

DISTRIBUTORS = [
    # slug, name, admitted to marketplaces
    ("adventure", "Adventure Distribution", ["us", "eu"]),
]

# --- Products and items ----------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    mpn: str
    name: str
    description: str = ""
    kind: str = SUBSCRIPTION
    billing_period: str | None = None  # None: one-time for one-time items, monthly otherwise
    unit: str = "license"
    commitment_term: str = Item.CommitmentTerm.NONE
    group: tuple[str, ...] = ()  # path in the product's variation tree


@dataclass(frozen=True)
class ProductSpec:
    vendor: str
    name: str
    category: str
    description: str
    items: list[ItemSpec]
    tree: list[tuple[str, list[str]]] = field(default_factory=list)  # top group, subgroups
    paths: list[tuple[str, str, str]] = field(default_factory=list)  # source, target, kind
    addons: dict[str, list[str]] = field(default_factory=dict)  # add-on MPN: base MPNs


def up_and_down(*mpns: str) -> list[tuple[str, str, str]]:
    """Upgrade paths along ``mpns`` and the matching downgrades back."""
    pairs = list(pairwise(mpns))
    return [(a, b, UPGRADE) for a, b in pairs] + [(b, a, DOWNGRADE) for a, b in pairs]


O365_HOME = "Office 365 (for home)"
O365_BUSINESS = "Office 365 (for business)"
WINDOWS = "Windows 10"
SHIRT = "Shirt"

ONE_YEAR = Item.CommitmentTerm.ONE_YEAR
YEARLY = {"billing_period": Item.BillingPeriod.YEARLY, "commitment_term": ONE_YEAR}
MONTHLY_1Y = {"billing_period": Item.BillingPeriod.MONTHLY, "commitment_term": ONE_YEAR}

COLOURS = [
    # name, MPN part, German, French
    ("Red", "RED", "rot", "rouge"),
    ("Blue", "BLUE", "blau", "bleu"),
]
SIZES = ["S", "M", "L"]

SHIRT_ITEMS = [
    ItemSpec(
        f"SHIRT-{code}-{size}",
        f"Shirt, {colour.lower()}, size {size}",
        "Organic cotton crew-neck shirt.",
        kind=ONE_TIME,
        unit="piece",
        group=(colour, f"Size {size}"),
    )
    for colour, code, _de, _fr in COLOURS
    for size in SIZES
]

MINIMUM_COMMIT = Item.Kind.MINIMUM_COMMIT
PERCENT_OF_TOTAL = Item.Kind.PERCENT_OF_TOTAL
PLATFORM = "Northwind Cloud Platform"
DAILY = "Northwind Daily"

PRODUCTS = [
    # Priced by the offerings of pricing/demo.py (seeds 002 and 003).
    ProductSpec(
        vendor="northwind",
        name=PLATFORM,
        category="Cloud services",
        description="Seats, metered usage, commitments and support, sold as offerings.",
        items=[
            ItemSpec("NW-SEATS", "Platform seat", unit="seat"),
            ItemSpec("NW-IMPL-FEE", "Implementation fee", kind=ONE_TIME, unit="project"),
            ItemSpec("NW-API-CALLS", "API calls", kind=USAGE, unit="1,000 calls"),
            ItemSpec("NW-STORAGE", "Object storage", kind=USAGE, unit="GB"),
            ItemSpec("NW-COMMIT", "Monthly usage commitment", kind=MINIMUM_COMMIT, unit="USD"),
            ItemSpec(
                "NW-SUPPORT",
                "Premium support",
                kind=PERCENT_OF_TOTAL,
                unit="percent",
                description="A percentage of the subscriptions it covers.",
            ),
        ],
    ),
    ProductSpec(
        vendor="northwind",
        name=DAILY,
        category="Subscriptions",
        description="Seed 003's daily service: deliveries on Sundays and on weekdays.",
        items=[
            ItemSpec("ND-SUNDAY", "Daily Service - Sunday deliveries", unit="delivery"),
            ItemSpec("ND-WEEKDAY", "Daily Service - Weekday deliveries", unit="delivery"),
        ],
    ),
    ProductSpec(
        "northwind",
        O365_HOME,
        "Productivity",
        "Office apps and cloud storage for individuals and families.",
        items=[
            ItemSpec(
                "O365-HOME-PERSONAL",
                "Office 365 Personal",
                "Office apps and 1 TB of cloud storage for one person.",
                **YEARLY,
            ),
            ItemSpec(
                "O365-HOME-FAMILY",
                "Office 365 Family",
                "Office apps and 1 TB of cloud storage each for up to six people.",
                **YEARLY,
            ),
            ItemSpec(
                "W10-HOME-ADDON",
                "Windows 10 Home Add-On",
                "Windows 10 Home licence, bought alongside an Office 365 home subscription.",
                kind=ONE_TIME,
            ),
            ItemSpec(
                "W10-PRO-ADDON",
                "Windows 10 Pro Add-On",
                "Windows 10 Pro licence, bought alongside an Office 365 home subscription.",
                kind=ONE_TIME,
            ),
        ],
        paths=up_and_down("O365-HOME-PERSONAL", "O365-HOME-FAMILY"),
        addons={
            "W10-HOME-ADDON": ["O365-HOME-PERSONAL", "O365-HOME-FAMILY"],
            "W10-PRO-ADDON": ["O365-HOME-PERSONAL", "O365-HOME-FAMILY"],
        },
    ),
    ProductSpec(
        "northwind",
        O365_BUSINESS,
        "Productivity",
        "Office apps, business email, Teams and file storage for organizations "
        "of up to 300 users; custom email domains.",
        items=[
            ItemSpec(
                "O365-BUS-BASIC",
                "Office 365 Business Basic",
                "Web and mobile Office apps, Teams, business email and 1 TB of storage.",
                unit="user",
                **MONTHLY_1Y,
            ),
            ItemSpec(
                "O365-BUS-STANDARD",
                "Office 365 Business Standard",
                "Everything in Business Basic plus the desktop Office apps.",
                unit="user",
                **MONTHLY_1Y,
            ),
            ItemSpec(
                "O365-BUS-PREMIUM",
                "Office 365 Business Premium",
                "Everything in Business Standard plus advanced security and device management.",
                unit="user",
                **MONTHLY_1Y,
            ),
            ItemSpec(
                "O365-BUS-APPS",
                "Office 365 Apps for business",
                "The desktop Office apps and 1 TB of storage, without business email or Teams.",
                unit="user",
                **MONTHLY_1Y,
            ),
            ItemSpec(
                "O365-BUS-EXO-STORAGE",
                "Exchange Online storage overage",
                "Mailbox storage above the plan's quota, billed per GB used.",
                kind=USAGE,
                unit="GB",
            ),
        ],
        paths=up_and_down("O365-BUS-BASIC", "O365-BUS-STANDARD", "O365-BUS-PREMIUM")
        + up_and_down("O365-BUS-APPS", "O365-BUS-STANDARD"),
    ),
    ProductSpec(
        "northwind",
        WINDOWS,
        "Operating systems",
        "Windows 10 sold standalone, without an Office 365 subscription.",
        items=[
            ItemSpec(
                "W10-HOME",
                "Windows 10 Home",
                "Perpetual Windows 10 Home licence for one PC.",
                kind=ONE_TIME,
            ),
            ItemSpec(
                "W10-PRO",
                "Windows 10 Pro",
                "Perpetual Windows 10 Pro licence for one PC.",
                kind=ONE_TIME,
            ),
        ],
        paths=[("W10-HOME", "W10-PRO", UPGRADE)],
    ),
    ProductSpec(
        "fabrikam",
        SHIRT,
        "Apparel",
        "A crew-neck shirt in two colours and three sizes.",
        items=SHIRT_ITEMS,
        tree=[(colour, [f"Size {size}" for size in SIZES]) for colour, *_ in COLOURS],
    ),
]

# Item names and descriptions in other locales (MPNs are unique across the demo):
# MPN: {locale: (name, description)}.
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    "O365-HOME-PERSONAL": {
        "de": ("Office 365 Single", "Office-Apps und 1 TB Cloudspeicher für eine Person."),
        "fr": ("Office 365 Personnel", "Applications Office et 1 To de stockage."),
    },
    "O365-HOME-FAMILY": {
        "de": ("Office 365 Family", "Office-Apps und 1 TB Speicher für bis zu sechs Personen."),
        "fr": ("Office 365 Famille", "Applications Office et 1 To pour six personnes."),
    },
    "W10-HOME-ADDON": {
        "de": ("Windows 10 Home Zusatzoption", "Nur zusammen mit Office 365 für Privat."),
        "fr": ("Module Windows 10 Famille", "Uniquement avec Office 365 pour la maison."),
    },
    "W10-PRO-ADDON": {
        "de": ("Windows 10 Pro Zusatzoption", "Nur zusammen mit Office 365 für Privat."),
        "fr": ("Module Windows 10 Professionnel", "Uniquement avec Office 365 pour la maison."),
    },
    "O365-BUS-BASIC": {
        "de": ("Office 365 Business Basic", "Office im Web, Teams, E-Mail und 1 TB Speicher."),
        "fr": ("Office 365 Business Basic", "Office sur le web, Teams, messagerie et 1 To."),
    },
    "O365-BUS-STANDARD": {
        "de": ("Office 365 Business Standard", "Business Basic plus Office-Desktop-Apps."),
        "fr": ("Office 365 Business Standard", "Business Basic et les applications de bureau."),
    },
    "O365-BUS-PREMIUM": {
        "de": ("Office 365 Business Premium", "Business Standard plus erweiterte Sicherheit."),
        "fr": ("Office 365 Business Premium", "Business Standard et la sécurité avancée."),
    },
    "O365-BUS-APPS": {
        "de": ("Office 365 Apps for Business", "Office-Desktop-Apps und 1 TB, ohne E-Mail."),
        "fr": ("Office 365 Apps pour les entreprises", "Applications de bureau et 1 To."),
    },
    "O365-BUS-EXO-STORAGE": {
        "de": ("Exchange Online Zusatzspeicher", "Postfachspeicher pro genutztem GB."),
        "fr": ("Stockage Exchange Online supplémentaire", "Stockage facturé par Go utilisé."),
    },
    "W10-HOME": {"de": ("Windows 10 Home", ""), "fr": ("Windows 10 Famille", "")},
    "W10-PRO": {"de": ("Windows 10 Pro", ""), "fr": ("Windows 10 Professionnel", "")},
} | {
    f"SHIRT-{code}-{size}": {
        "de": (f"Shirt, {de}, Größe {size}", "Rundhals-Shirt aus Bio-Baumwolle."),
        "fr": (f"Chemise, {fr}, taille {size}", "Chemise col rond en coton bio."),
    }
    for _colour, code, de, fr in COLOURS
    for size in SIZES
}

# --- Offers: plans, feature matrix, listings --------------------------------------------

Y = "✓"  # a matrix cell: "" not included, "✓" included, "✓ 1 TB" included with a text


@dataclass(frozen=True)
class OfferSpec:
    vendor: str
    product: str
    name: str
    description: str
    plans: list[tuple[str, dict[str, int]]]  # plan name, {item MPN: quantity}
    # group name, [(feature name, one cell per plan in plan order)]
    features: list[tuple[str, list[tuple[str, tuple[str, ...]]]]]
    listings: dict[str, str]  # marketplace code: listing status


def matrix_cell(value: str) -> MatrixCell:
    included = value.startswith(Y)
    return MatrixCell(included=included, text=value.removeprefix(Y).strip())


USERS_300 = f"{Y} up to 300 users"

OFFERS = [
    OfferSpec(
        "northwind",
        O365_BUSINESS,
        "For business",
        "Office 365 for organizations of up to 300 users.",
        plans=[
            ("Basic", {"O365-BUS-BASIC": 1}),
            ("Standard", {"O365-BUS-STANDARD": 1}),
            ("Premium", {"O365-BUS-PREMIUM": 1}),
            ("Apps", {"O365-BUS-APPS": 1}),
        ],
        # Seed 000's table, row by row (Basic, Standard, Premium, Apps).
        features=[
            (
                "Teamwork and communication",
                [
                    ("Teamwork and communication", (USERS_300, USERS_300, USERS_300, "")),
                    (
                        "Meet online meetings and share files for up to 100 people with "
                        "Microsoft Teams",
                        (Y, Y, Y, ""),
                    ),
                    (
                        "Chat with your team from your desktop or on the go with Microsoft Teams",
                        (Y, Y, Y, ""),
                    ),
                    (
                        "Bring together all your team's chats, meetings, files and apps in one "
                        "central location and collaborate from one place with Microsoft Teams",
                        (Y, Y, Y, ""),
                    ),
                ],
            ),
            (
                "Web and mobile versions of Office apps",
                [
                    ("Web versions of Word, Excel, PowerPoint and Outlook", (Y, Y, Y, Y)),
                    # Seed 000 lists this row three times; the offer shows it once.
                    ("Plan a work week with Outlook", (Y, Y, Y, Y)),
                ],
            ),
        ],
        listings={"us": LISTED, "eu": LISTED},
    ),
    OfferSpec(
        "northwind",
        O365_HOME,
        "For home",
        "Office 365 for one person or a whole family.",
        plans=[
            ("Personal", {"O365-HOME-PERSONAL": 1}),
            ("Family", {"O365-HOME-FAMILY": 1}),
        ],
        features=[
            (
                "Apps and cloud storage",
                [
                    (
                        "Word, Excel, PowerPoint and Outlook for PC, Mac, tablets and phones",
                        (f"{Y} 1 person", f"{Y} up to 6 people"),
                    ),
                    ("OneDrive cloud storage", (f"{Y} 1 TB", f"{Y} 1 TB per person")),
                    ("Advanced security in Outlook.com", (Y, Y)),
                    ("Share with up to five other people", ("", Y)),
                ],
            ),
        ],
        listings={"us": LISTED, "eu": DRAFT},
    ),
    OfferSpec(
        "northwind",
        PLATFORM,
        "Pay as you grow",
        "Seats with API calls sold in packages and storage in tiers: priced by the offering "
        "'Platform in packages'.",
        plans=[("Packages", {"NW-SEATS": 1, "NW-API-CALLS": 1, "NW-STORAGE": 1})],
        features=[
            (
                "Usage",
                [
                    ("The first 5,000 API calls of each month free", (Y,)),
                    ("Storage billed in tiers, the first 100 GB from 5.00 a month", (Y,)),
                ],
            ),
        ],
        listings={"us": LISTED},
    ),
    OfferSpec(
        "fabrikam",
        SHIRT,
        "Shirts",
        "Fabrikam's crew-neck shirt in every colour and size.",
        plans=[("Any colour, any size", {item.mpn: 1 for item in SHIRT_ITEMS})],
        features=[
            (
                "Material and care",
                [("100% organic cotton", (Y,)), ("Machine washable at 40 °C", (Y,))],
            ),
        ],
        listings={"eu": LISTED},
    ),
]

# --- Users -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    username: str
    password: str
    role: str
    vendor: str | None = None
    distributor: str | None = None
    group: str | None = None
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS = [
    UserSpec(
        "admin", "admin-demo-2026", "platform admin (superuser)", is_staff=True, is_superuser=True
    ),
    UserSpec(
        "northwind",
        "northwind-demo-2026",
        "vendor staff of Northwind Software",
        vendor="northwind",
        group=VENDOR_STAFF,
        is_staff=True,
    ),
    UserSpec(
        "fabrikam",
        "fabrikam-demo-2026",
        "vendor staff of Fabrikam Apparel",
        vendor="fabrikam",
        group=VENDOR_STAFF,
        is_staff=True,
    ),
    UserSpec(
        "distributor",
        "distributor-demo-2026",
        "distributor user of Adventure Distribution (no admin access)",
        distributor="adventure",
        group=DISTRIBUTOR,
    ),
]
