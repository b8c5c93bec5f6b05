"""A script builds seed 002 from nothing through the API alone: a product and its items, a
pay-as-you-go offering, a Minimum Commit offering and a Percent of Total offering each holding
its one item with an application list naming items of the first, their rates and prices; then
sells them on one quote and reads the commitment's periods back."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db
API = "/api/v1"
D = Decimal
KINDS = {
    "SEATS": "subscription",
    "CALLS": "usage",
    "COMMIT": "minimum_commit",
    "SUPPORT": "percent_of_total",
}


class Script:
    """The calls a script makes, each checked for the status it expects."""

    def __init__(self, api):
        self.api = api

    def call(self, method, path, body=None, status=200):
        response = getattr(self.api, method)(f"{API}/{path}", body, format="json")
        assert response.status_code == status, (path, response.json())
        return response.json()

    def post(self, path, body, status=201):
        return self.call("post", path, body, status)

    def offering(self, name, offering_type, lines, prices):
        made = self.post(
            "offerings/", {"name": name, "type": offering_type, "start_date": "2026-01-01"}
        )
        self.call("put", f"offerings/{made['id']}/items/", lines)
        rate = self.post("rates/", {"offering": made["id"], "name": "USD", "currency": "USD"})
        for item, model, price in prices:
            self.post(
                "price-book-items/",
                {
                    "rate": rate["id"],
                    "item": item,
                    "charge_model": model,
                    "intervals": [{"duration_unit": "infinity", "price": price}],
                },
            )
        self.call("patch", f"rates/{rate['id']}/", {"status": "active"})
        return made["id"], rate["id"]


def test_a_script_builds_and_sells_a_scoped_commitment_and_a_percent(vendor_api):
    script = Script(vendor_api)
    product = script.post("products/", {"name": "Platform"})
    items = {
        mpn: script.post(
            "items/", {"product": product["id"], "mpn": mpn, "name": mpn.title(), "kind": kind}
        )["id"]
        for mpn, kind in KINDS.items()
    }
    payg = script.offering(
        "Pay as you go",
        "subscription",
        [
            {"item": items["SEATS"], "default_quantity": 1, "required": True},
            {"item": items["CALLS"]},
        ],
        [(items["SEATS"], "per_unit", "12.00"), (items["CALLS"], "per_unit", "0.40")],
    )
    commit = script.offering(
        "Commitment",
        "minimum_commit",
        [{"item": items["COMMIT"], "default_quantity": 1, "applies_to": [items["CALLS"]]}],
        [(items["COMMIT"], "flat_fee", "1000.00")],
    )
    support = script.offering(
        "Support",
        "percent_of_total",
        [{"item": items["SUPPORT"], "default_quantity": 1, "applies_to": [items["SEATS"]]}],
        [(items["SUPPORT"], "flat_fee", "10")],
    )
    refused = script.call(
        "put",
        f"offerings/{commit[0]}/items/",
        [{"item": items["COMMIT"]}, {"item": items["CALLS"]}],
        status=409,  # its rate is active: locked
    )
    assert refused["code"] == "OFFERING_LOCKED"

    quote = script.post(
        "quotes/",
        {
            "customer": "Contoso",
            "currency": "USD",
            "start_date": "2026-01-01",
            "periods": 2,
            "lines": [
                {"offering": offering, "rate": rate, "item": items[mpn], "quantity": quantity}
                for (offering, rate), mpn, quantity in (
                    (payg, "SEATS", "1"),
                    (payg, "CALLS", "1000"),
                    (commit, "COMMIT", "1"),
                    (support, "SUPPORT", "1"),
                )
            ],
        },
    )
    processed = script.post(f"quotes/{quote['id']}/process/", None, status=200)

    amounts = {line["item"]: D(line["amount"]) for line in processed["lines"]}
    assert amounts == {
        items["SEATS"]: D("24.00"),
        items["CALLS"]: D("800.00"),
        items["COMMIT"]: D("1200.00"),  # 2 × (1,000.00 − 400.00)
        items["SUPPORT"]: D("2.40"),  # 10 % of the seats
    }
    assert D(processed["total"]) == D("2026.40")
    (commit_line,) = [line for line in processed["lines"] if line["item"] == items["COMMIT"]]
    assert [
        (row["committed"], row["consumed"], row["amount"]) for row in commit_line["breakdown"]
    ] == [("1000.00", "400.00", "600.00")] * 2
