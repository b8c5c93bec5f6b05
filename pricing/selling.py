"""Selling: quotes are processed (checked, priced, frozen) and become contracts.

Processing takes the quote's row lock and then every offering's row lock in id order, in
share mode (``pricing.refusals.share_quote_offerings``): every writer of an offering takes
that lock for update first, so an item cannot be added to an offering, nor a price of it
change, while a quote that uses it is being processed, and many quotes of one offering are
processed at once. A sale never writes the offering row: its first sale adds a version to
the offering's history (when and why it was first sold); every sale is a lock event of the
audit (``pricing.audit``), from the quote's ``processed_at``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from catalog.concurrency import service
from catalog.history_records import insert_history
from catalog.models import AddOnRequirement, Item
from catalog.prepared import Param, Prepared, PreparedUpdate, pipelined
from catalog.services import validated_save
from pricing import price_cache, pricebook
from pricing.bounds import check_quote_lines, check_term
from pricing.errors import (
    AddOnBaseMissing,
    InvalidOfferingComposition,
    MinCommitConflict,
    OfferingUnavailable,
    QuoteNotDraft,
    RateUnavailable,
    RequiredItemMissing,
)
from pricing.lock import PROCESSED_QUOTES
from pricing.models import (
    Contract,
    ContractOffering,
    Offering,
    OfferingItem,
    OfferingItemScope,
    Quote,
    QuoteLine,
    Rate,
)
from pricing.price_selector import line_prices, offering_rates, why_this_price
from pricing.pricebook import snapshot
from pricing.quote_lines import QuoteLineSpec, locked_draft, write_lines
from pricing.refusals import share_quote_offerings
from pricing.rules import ALLOWED_KINDS
from pricing.sales import quote_sale, role_of, scope_keys, scopes_of
from pricing.selectors import period_row

ZERO = Decimal(0)


# What processing writes on each line: the price it sold at, frozen.
FROZEN_FIELDS = (
    "rate_id",
    "price_book_item_id",
    "price_version",
    "price_snapshot",
    "price_reason",
    "breakdown",
    "amount",
)

# A sale's statements that run every time, built once (``catalog.prepared``). The lines are
# read with their quote by a statement that starts once the quote's row lock is held: the
# lock's own statement would see the lines as they were before a writer it waited for.
QUOTE_LOCK = Prepared(
    lambda: Quote.objects.select_for_update().filter(pk=Param("pk")).values_list("pk")
)
LOCKED_QUOTE = Prepared(lambda: Quote.objects.select_for_update().filter(pk=Param("pk")))
QUOTE_LINES = Prepared(
    lambda: (
        QuoteLine.objects.filter(quote_id=Param("quote"))
        .select_related("quote", "item")
        .annotate(is_addon=Exists(AddOnRequirement.objects.filter(addon=OuterRef("item_id"))))
        .order_by("pk")
    )
)
FREEZE_LINES = PreparedUpdate(QuoteLine, FROZEN_FIELDS)
MARK_PROCESSED = PreparedUpdate(Quote, ("total", "status", "processed_at"))

QUOTE_EDITABLE = {
    "customer",
    "currency",
    "start_date",
    "periods",
    "sales_channel",
    "customer_group",
}


@service
def quote_create(
    *,
    vendor,
    customer: str,
    currency: str,
    start_date=None,
    periods: int = 12,
    sales_channel=None,
    customer_group: str = "",
    lines: Sequence[QuoteLineSpec] = (),
    by: AbstractBaseUser | None = None,
) -> Quote:
    """Open a draft quote with its lines (checked when the quote is processed; at most
    ``MAX_QUOTE_LINES`` of them)."""
    check_quote_lines(len(lines))
    quote = Quote(
        vendor=vendor,
        customer=customer,
        currency=currency,
        periods=periods,
        sales_channel=sales_channel,
        customer_group=customer_group,
    )
    if start_date is not None:
        quote.start_date = start_date
    check_term(start_date=quote.start_date, periods=periods)
    validated_save(quote, by=by)
    write_lines(quote, lines, by=by)
    return quote


@service
def quote_update(
    *,
    quote: Quote,
    lines: Sequence[QuoteLineSpec] | None = None,
    by: AbstractBaseUser | None = None,
    **changes,
) -> Quote:
    """Change a draft quote's fields and, given ``lines``, make its lines exactly those.

    The quote's row lock is taken first and its status read under it, so a page loaded
    while the quote was a draft cannot write over it once it has been processed.
    """
    quote = locked_draft(quote, attempted="changed")
    if unknown := set(changes) - QUOTE_EDITABLE:
        raise ValueError(f"quote_update cannot change {', '.join(sorted(unknown))}")
    if lines is not None:
        check_quote_lines(len(lines))
    if any(getattr(quote, name) != value for name, value in changes.items()):
        for name, value in changes.items():
            setattr(quote, name, value)
        validated_save(quote, by=by)
    if lines is not None:
        write_lines(quote, lines, by=by)
    return quote


def _check(condition: bool, error: type, message: str, line: QuoteLine | None = None) -> None:
    if not condition:
        details = {"line": line.pk} if line is not None else {}
        raise error(message, errors={"lines": [message]}, **details)


@service
def quote_process(*, quote: Quote, by: AbstractBaseUser | None = None, on=None) -> Quote:
    """Check, price and freeze a draft quote; any failure names the line and changes nothing."""
    # The quote's row lock; then its offerings' share locks; then its lines and offerings
    # read under them: each statement starts once the one before it is done, one wait in all.
    # Shared: other sales of these offerings go on at once; a writer waits for this one. Every
    # read below is of rows only such a writer changes, so it reads them as they stay.
    with pipelined():
        QUOTE_LOCK.execute(pk=quote.pk)
        shared = share_quote_offerings(quote.pk)
        sent = QUOTE_LINES.send(quote=quote.pk)
    lines = sent.all()
    offerings = {o.pk: o for o in shared.all()}
    quote = lines[0].quote if lines else LOCKED_QUOTE.get(pk=quote.pk)
    if quote.status != Quote.Status.DRAFT:
        raise QuoteNotDraft(f"Quote {quote.reference} is already {quote.status}.")
    on = on or timezone.localdate()
    _check(bool(lines), RequiredItemMissing, f"Quote {quote.reference} has no lines.")
    longest = max(Rate.PERIOD_MONTHS[line.billing_frequency] for line in lines)
    check_term(start_date=quote.start_date, periods=quote.periods, period_months=longest)
    offering_ids = sorted(offerings)
    quoted = defaultdict(Decimal)  # (offering, item) → quantity
    for line in lines:  # each line reads its offering as it stands under the lock
        line.offering = offerings[line.offering_id]
        quoted[line.offering_id, line.item_id] += line.quantity
    # Their items and rates, with the quoted items' prices: kept from earlier sales.
    priced = defaultdict(set)
    for offering_id, item_id in quoted:
        priced[offering_id].add(item_id)
    kept = price_cache.kept_at({pk: o.token for pk, o in offerings.items()}, priced, _offering_rows)
    commit_offerings = [o for o in offerings.values() if o.type == Offering.Type.MINIMUM_COMMIT]
    _check(
        len(commit_offerings) <= 1,
        MinCommitConflict,
        "A contract holds at most one minimum-commitment offering; this quote has "
        f"{len(commit_offerings)}.",
    )

    for number, line in enumerate(lines, start=1):
        where = f"Line {number} ({line.item.mpn})"
        offering = offerings[line.offering_id]
        _check(
            offering.is_available(on),
            OfferingUnavailable,
            f"{where}: offering {offering.name!r} is not available on {on}.",
            line,
        )
        if line.rate_id is not None:  # else the price selector picks one that sells
            _check_named_rate(line, kept[offering.pk].rates, quote, where)
        _check(
            line.item_id in kept[offering.pk].items,
            RequiredItemMissing,
            f"{where}: the item is not part of offering {offering.name!r}.",
            line,
        )
        _check(
            line.item.kind in ALLOWED_KINDS[Offering.Type(offering.type)],
            InvalidOfferingComposition,
            f"{where}: a {offering.get_type_display()} offering sells its one item only; "
            f"{offering.name!r} still holds {line.item.mpn} from before that rule. Sell it "
            "from an offering that prices it, or clone the offering (the copy holds the one "
            "item) and inactivate this one.",
            line,
        )
    _check_required_items(offerings, kept, quoted)
    present = {item_id for (_, item_id), quantity in quoted.items() if quantity >= 1}
    bases = defaultdict(set)
    if addons := [line.item_id for line in lines if line.is_addon]:
        for addon_id, base_id in AddOnRequirement.objects.filter(addon_id__in=addons).values_list(
            "addon_id", "base_id"
        ):
            bases[addon_id].add(base_id)
    for number, line in enumerate(lines, start=1):
        if bases.get(line.item_id):
            _check(
                bool(bases[line.item_id] & present),
                AddOnBaseMissing,
                f"Line {number} ({line.item.mpn}) is an add-on: quote one of its base items too.",
                line,
            )

    # Each with its version; kept between sales (pricing.price_cache): its ids only are used.
    prices = line_prices(
        quote=quote, lines=lines, offering_rates={pk: k.rates for pk, k in kept.items()}, on=on
    )
    # What a commitment or percent applies to: read only when the quote has one.
    applies = any(role_of(line.item) != pricebook.sale.CHARGE for line in lines)
    scopes = scopes_of(offering_ids) if applies else {}
    books = {prices[line.pk].pk: kept[line.offering_id].book(prices[line.pk]) for line in lines}
    sale = quote_sale(lines, prices, scopes, books=books)
    for line, sale_line in zip(lines, sale, strict=True):
        pbi = prices[line.pk]
        line.rate_id = pbi.rate_id  # the frozen line names the rate it sold at
        line.price_book_item_id = pbi.pk
        line.price_reason = why_this_price(pbi)
        line.price_version = pbi.version
        line.price_snapshot = snapshot.dump(
            sale_line.book,
            role=sale_line.role,
            period_months=sale_line.period_months,
            one_time=sale_line.one_time,
            scope=scopes.get((line.offering_id, line.item_id), set())
            if sale_line.role != pricebook.sale.CHARGE
            else set(),
        )
    priced = pricebook.price_sale(sale, start=quote.start_date, periods=quote.periods)
    for line in lines:
        line.amount = priced[line.pk].amount
        if role_of(line.item) != pricebook.sale.CHARGE:  # the periods a reader can follow
            line.breakdown = [period_row(row) for row in priced[line.pk].schedule.lines]

    reason = f"quote {quote.reference} processed"
    first_sales = _first_sales(offerings.values())
    quote.total = sum((line.amount for line in lines), ZERO)
    quote.status = Quote.Status.PROCESSED
    quote.processed_at = timezone.now()
    with pipelined():  # writes whose answers nothing reads: sent together, awaited once
        FREEZE_LINES.bulk(lines)
        insert_history(
            QuoteLine, "r.quote_id = %s", [quote.pk], by=by, reason=reason, history_type="~"
        )
        if first_sales:  # a version without changes says when and why
            Offering.history.bulk_history_create(
                first_sales, update=True, default_user=by, default_change_reason=f"locked: {reason}"
            )
        # The quote's fields were checked when they were written (quote_create,
        # quote_update); these three are the service's own.
        MARK_PROCESSED.run(
            quote.pk, total=quote.total, status=quote.status, processed_at=quote.processed_at
        )
        insert_history(Quote, "r.id = %s", [quote.pk], by=by, reason=reason, history_type="~")
    return quote


def _first_sales(offerings) -> list[Offering]:
    """The offerings this sale is the first of.

    Whether an offering has sold is read once per offering and token, then remembered
    (``price_cache.sold_at``: a sale is never undone), by a query per offering that names its
    id: PostgreSQL plans it for that offering's own rows, where a correlated ``EXISTS`` is
    planned for an average offering and, for one first sold after many quotes of others,
    walks every quote line.

    Two first sales of an offering hold its share lock at once, and each read that none had
    sold: on PostgreSQL they take a transaction lock of the offering's id (an advisory lock,
    held until the commit), one sale at a time, and ask again, so the one that waited finds
    the other's sale and adds no version. Only an offering's first sales take it."""
    unsold = sorted(
        (o for o in offerings if not price_cache.sold_at(o.pk, o.token) and not _sold(o)),
        key=lambda o: o.pk,
    )
    if not unsold or connection.vendor != "postgresql":
        return unsold
    with connection.cursor() as cursor:
        for offering in unsold:  # in id order, as every lock is taken
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [offering.pk])
    return [o for o in unsold if not _sold(o)]


def _sold(offering: Offering) -> bool:
    """Whether a processed quote sold the offering (remembered once it has)."""
    if sold := PROCESSED_QUOTES.rows.filter(offering_id=offering.pk).exists():
        price_cache.learn_sold(offering.pk, offering.token)
    return sold


def _offering_rows(priced: Mapping[int, frozenset[int]]) -> dict[int, price_cache.Kept]:
    """What a sale reads of these offerings that only their writers change: the items they
    hold (whether each is required) and every rate with the prices of the items ``priced``
    names for the offering (``offering_rates``)."""
    items = defaultdict(dict)
    for offering_id, item_id, required in (
        OfferingItem.objects.filter(offering_id__in=list(priced))
        .order_by("pk")
        .values_list("offering_id", "item_id", "required")
    ):
        items[offering_id][item_id] = required
    rates = offering_rates(list(priced), items=frozenset().union(*priced.values()), versions=True)
    return {
        pk: price_cache.Kept(rates=rates.get(pk, []), items=items[pk], priced=priced[pk])
        for pk in priced
    }


def _check_required_items(offerings, kept, quoted) -> None:
    """Every required item of an offering is quoted, with a quantity of at least 1, unless
    it is of a kind the offering no longer sells (an item's kind is read as it stands)."""
    missing = [
        (offering_id, item_id)
        for offering_id, offering_rows in kept.items()
        for item_id, required in offering_rows.items.items()
        if required and quoted.get((offering_id, item_id), ZERO) < 1
    ]
    if not missing:
        return
    items = Item.objects.in_bulk({item_id for _, item_id in missing})
    for offering_id, item_id in missing:
        offering, item = offerings[offering_id], items[item_id]
        _check(
            item.kind not in ALLOWED_KINDS[Offering.Type(offering.type)],
            RequiredItemMissing,
            f"Offering {offering.name!r} requires item {item.mpn} with a quantity of at least 1.",
        )


def _check_named_rate(line: QuoteLine, rates: list[Rate], quote: Quote, where: str) -> None:
    """The rate a line names is one of its offering's (``rates``), active, in its currency."""
    rate = next((rate for rate in rates if rate.pk == line.rate_id), None)
    if rate is None:
        _check(
            False,
            RateUnavailable,
            f"{where}: rate {line.rate.name!r} belongs to another offering.",
            line,
        )
    _check(
        rate.status == Rate.Status.ACTIVE,
        RateUnavailable,
        f"{where}: rate {rate.name!r} is {rate.status}, not active.",
        line,
    )
    _check(
        rate.currency == quote.currency,
        RateUnavailable,
        f"{where}: rate {rate.name!r} is in {rate.currency}, the quote in {quote.currency}.",
        line,
    )


def quote_recompute(quote: Quote) -> dict[int, Decimal]:
    """Recompute a processed quote's lines from the prices they recorded, each by the rules
    of its snapshot's version (for checks and audits): line id → amount."""
    lines = list(quote.lines.select_related("item", "rate").order_by("pk"))
    scopes = defaultdict(set)
    for offering_id, item_id, scoped_id in OfferingItemScope.objects.filter(
        offering_item__offering__in={line.offering_id for line in lines}
    ).values_list("offering_item__offering_id", "offering_item__item_id", "item_id"):
        scopes[offering_id, item_id].add(scoped_id)
    sale = []
    for line in lines:
        frozen = snapshot.load(line.price_snapshot)
        if frozen.version == 1:  # what the line's rows said then, and still say (locked)
            role, one_time = role_of(line.item), line.item.kind == Item.Kind.ONE_TIME
            period_months, scope = line.rate.period_months, scopes[line.offering_id, line.item_id]
        else:
            role, one_time, period_months = frozen.role, frozen.one_time, frozen.period_months
            scope = set(frozen.scope)
        sale.append(
            pricebook.SaleLine(
                key=line.pk,
                book=frozen.book,
                quantity=line.quantity,
                period_months=period_months,
                one_time=one_time,
                role=role,
                scope=scope_keys(line, lines, scope, anywhere=frozen.version >= 3),
                version=frozen.version,
            )
        )
    priced = pricebook.price_sale(sale, start=quote.start_date, periods=quote.periods)
    return pricebook.sale.amounts(priced)


def quote_line_recompute(line: QuoteLine) -> Decimal:
    """Recompute one processed line (its quote's other lines priced with it)."""
    return quote_recompute(line.quote)[line.pk]


@service
def quote_cancel(*, quote: Quote, by: AbstractBaseUser | None = None) -> Quote:
    """Retire a draft quote; it stays, cancelled, with its lines and history."""
    quote = locked_draft(quote, attempted="cancelled")
    quote.status = Quote.Status.CANCELLED
    return validated_save(quote, by=by, reason="cancelled")


@service
def quote_delete(*, quote: Quote, by: AbstractBaseUser | None = None) -> None:
    """Delete a draft quote that never had lines; anything else is cancelled, not deleted."""
    quote = locked_draft(quote, attempted="deleted")
    quote._history_user = by
    quote.delete()  # its lines PROTECT it: a quote with lines is refused (ProtectedError)


@service
def contract_create(
    *, quote: Quote, start_date=None, end_date=None, by: AbstractBaseUser | None = None
) -> Contract:
    """Turn a processed quote into a contract holding its offerings."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.status != Quote.Status.PROCESSED:
        raise QuoteNotDraft(f"Quote {quote.reference} is {quote.status}, not processed.")
    offerings = list(Offering.objects.filter(quote_lines__quote=quote).distinct().order_by("pk"))
    commits = [o for o in offerings if o.type == Offering.Type.MINIMUM_COMMIT]
    if len(commits) > 1:
        raise MinCommitConflict("A contract holds at most one minimum-commitment offering.")
    start = start_date or quote.start_date
    if end_date is None:
        months = max(line.rate.period_months for line in quote.lines.select_related("rate"))
        end_date = pricebook.add_months(start, months * quote.periods) - timezone.timedelta(days=1)
    contract = validated_save(
        Contract(
            vendor_id=quote.vendor_id,
            quote=quote,
            customer=quote.customer,
            start_date=start,
            end_date=end_date,
        ),
        by=by,
        reason=f"from quote {quote.reference}",
    )
    for offering in offerings:
        validated_save(ContractOffering(contract=contract, offering=offering), by=by)
    return contract
