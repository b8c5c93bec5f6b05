"""An offering's first sales at once add one version to its history, not one each
(PostgreSQL only): the first sale says when and why the offering was locked, once."""

from __future__ import annotations

from catalog.tests.generated import report
from catalog.tests.profiles import cases
from pricing import selling
from pricing.tests.test_races import (  # noqa: F401 (a fixture)
    ROW_LOCK_RACES,
    _without_row_locks,
    race,
)
from pricing.tests.test_races_selling import SALES, hot_offering
from pricing.tests.test_sales_mark_the_offering_once import locked_versions

TRIALS = cases(20)

pytestmark = ROW_LOCK_RACES


def test_first_sales_at_once_add_one_locked_version():
    for n in range(TRIALS):
        world = hot_offering(n)

        sold = race(*[lambda q=quote: selling.quote_process(quote=q) for quote in world["quotes"]])

        assert all(result[0] == "ok" for result in sold), sold
        assert len(locked_versions(world["offering"])) == 1, locked_versions(world["offering"])
    print(f"\n{SALES} first sales of one offering at once: {TRIALS} trials")
    report("race: first sales of one offering", TRIALS)
