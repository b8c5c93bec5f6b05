"""PATCH /api/v1/offers/{id}/matrix/: the plan × feature grid written in one request."""

import pytest

from catalog.models import PlanFeature
from catalog.tests.factories import (
    FeatureFactory,
    FeatureGroupFactory,
    OfferFactory,
    PlanFactory,
    PlanFeatureFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def grid(vendor):
    offer = OfferFactory(product__vendor=vendor)
    basic, premium = PlanFactory.create_batch(2, offer=offer)
    group = FeatureGroupFactory(offer=offer)
    mail, storage = FeatureFactory.create_batch(2, group=group)
    PlanFeatureFactory(plan=basic, feature=mail, included=True, text="")
    return offer, basic, premium, mail, storage


def cells_of(offer):
    return sorted(
        PlanFeature.objects.filter(plan__offer=offer).values_list(
            "plan_id", "feature_id", "included", "text"
        )
    )


def test_cells_are_written_and_the_offer_comes_back(vendor_api, vendor_user, grid):
    offer, basic, premium, mail, storage = grid
    body = {
        "cells": [
            {"plan": premium.pk, "feature": mail.pk, "included": True},
            {"plan": premium.pk, "feature": storage.pk, "included": True, "text": "1 TB"},
        ]
    }

    response = vendor_api.patch(f"{API}/offers/{offer.pk}/matrix/", body, format="json")

    assert response.status_code == 200, response.content
    assert cells_of(offer) == sorted(
        [
            (basic.pk, mail.pk, True, ""),  # left out: unchanged
            (premium.pk, mail.pk, True, ""),
            (premium.pk, storage.pk, True, "1 TB"),
        ]
    )
    returned = {(cell["plan"], cell["feature"]): cell for cell in response.json()["matrix"]}
    assert returned[(premium.pk, storage.pk)]["text"] == "1 TB"
    version = PlanFeature.objects.get(plan=premium, feature=storage).history.get()
    assert (version.history_user, version.history_change_reason) == (
        vendor_user,
        "feature matrix edited",
    )


def test_a_cell_can_be_cleared(vendor_api, grid):
    offer, basic, _premium, mail, _storage = grid
    body = {"cells": [{"plan": basic.pk, "feature": mail.pk, "included": False, "text": ""}]}

    response = vendor_api.patch(f"{API}/offers/{offer.pk}/matrix/", body, format="json")

    assert response.status_code == 200
    assert cells_of(offer) == [(basic.pk, mail.pk, False, "")]


@pytest.mark.parametrize(
    "make_body, field",
    [
        (lambda g, other: {"cells": []}, "cells"),
        (lambda g, other: {}, "cells"),
        (lambda g, other: {"cells": "all"}, "cells"),
        (lambda g, other: {"cells": [{"plan": g[1].pk}]}, "cells"),
        (lambda g, other: {"cells": [{"plan": g[1].pk, "feature": "x"}]}, "cells"),
        (  # a plan of another offer
            lambda g, other: {"cells": [{"plan": other.pk, "feature": g[3].pk, "included": True}]},
            "cells",
        ),
        (  # the same cell twice
            lambda g, other: {
                "cells": [
                    {"plan": g[2].pk, "feature": g[3].pk, "included": True},
                    {"plan": g[2].pk, "feature": g[3].pk, "included": False},
                ]
            },
            "cells",
        ),
        (
            lambda g, other: {"cells": [{"plan": g[2].pk, "feature": g[3].pk, "text": "x" * 101}]},
            "cells",
        ),
    ],
    ids=["empty", "missing", "not-a-list", "no-feature", "bad-id", "foreign-plan", "twice", "long"],
)
def test_bad_cells_are_a_400_and_change_nothing(vendor_api, vendor, grid, make_body, field):
    offer = grid[0]
    other = PlanFactory(offer=OfferFactory(product__vendor=vendor))
    before = cells_of(offer)

    response = vendor_api.patch(
        f"{API}/offers/{offer.pk}/matrix/", make_body(grid, other), format="json"
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "VALIDATION_ERROR"
    assert list(body["errors"]) == [field]
    assert cells_of(offer) == before


def test_other_vendors_and_distributors_cannot_write_the_matrix(
    other_vendor_user, distributor_member, api_client, grid
):
    offer, basic, _premium, _mail, storage = grid
    body = {"cells": [{"plan": basic.pk, "feature": storage.pk, "included": True}]}
    before = cells_of(offer)

    url = f"{API}/offers/{offer.pk}/matrix/"
    for user, status in [(other_vendor_user, 404), (distributor_member, 403), (None, 401)]:
        api_client.force_authenticate(user)
        assert api_client.patch(url, body, format="json").status_code == status

    assert cells_of(offer) == before


def test_text_in_a_cell_that_is_not_included_is_refused(vendor_api, grid):
    offer, _basic, premium, _mail, storage = grid
    before = cells_of(offer)
    body = {"cells": [{"plan": premium.pk, "feature": storage.pk, "text": "1 TB"}]}
    response = vendor_api.patch(f"{API}/offers/{offer.pk}/matrix/", body, format="json")
    assert response.status_code == 400
    assert "Tick the cell to show this text" in response.content.decode()
    assert cells_of(offer) == before
