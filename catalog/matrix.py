"""The plan × feature matrix of an offer: its cells and how they are written.

``write_matrix`` runs in the caller's transaction; ``catalog.services`` holds the services
that call it (``offer_matrix_save``, ``offer_page_save``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from catalog.models import Feature, Offer, PlanFeature
from catalog.rows import locked
from catalog.validators import NUL_MESSAGE, contains_nul

UNTICKED_TEXT = (
    "Tick the cell to show this text, or clear the text: a cell that is not ticked shows "
    "no text to distributors."
)


@dataclass(frozen=True)
class MatrixCell:
    included: bool = False
    text: str = ""

    @property
    def hides_text(self) -> bool:
        """Text in a cell that is not included: nobody would see it, so it is refused."""
        return not self.included and bool(self.text.strip())


def write_matrix(
    *,
    offer: Offer,
    cells: Mapping[tuple[int, int], MatrixCell],
    by: AbstractBaseUser | None = None,
) -> int:
    """The plan × feature grid of an offer, in the caller's transaction (``offer_matrix_save``).

    ``cells`` maps (plan id, feature id) to its value. Cells left out are unchanged; an
    empty cell (not included, no text) that has no row yet stays without one.
    """
    offer = locked(offer)
    plan_ids = set(offer.plans.values_list("pk", flat=True))
    feature_ids = set(Feature.objects.filter(group__offer=offer).values_list("pk", flat=True))
    errors = []
    for plan_id, feature_id in cells:
        if plan_id not in plan_ids or feature_id not in feature_ids:
            errors.append(
                ValidationError(
                    "Plan %(plan)s and feature %(feature)s are not both part of this offer.",
                    code="matrix_cell",
                    params={"plan": plan_id, "feature": feature_id},
                )
            )
    too_long = [
        cell.text for cell in cells.values() if len(cell.text.strip()) > PlanFeature.TEXT_MAX_LENGTH
    ]
    if any(cell.hides_text for cell in cells.values()):
        errors.append(ValidationError(UNTICKED_TEXT, code="matrix_unticked_text"))
    if any(contains_nul(cell.text) for cell in cells.values()):
        errors.append(ValidationError(NUL_MESSAGE, code="null_characters_not_allowed"))
    if too_long:
        errors.append(
            ValidationError(
                "A cell's text is at most %(limit)d characters.",
                code="matrix_text",
                params={"limit": PlanFeature.TEXT_MAX_LENGTH},
            )
        )
    if errors:
        raise ValidationError(errors)

    existing = {
        (value.plan_id, value.feature_id): value
        for value in PlanFeature.objects.filter(plan__offer=offer)
    }
    to_create, to_update = [], []
    for (plan_id, feature_id), cell in cells.items():
        included, text = bool(cell.included), cell.text.strip()
        current = existing.get((plan_id, feature_id))
        if current is None:
            if included or text:
                to_create.append(
                    PlanFeature(
                        plan_id=plan_id, feature_id=feature_id, included=included, text=text
                    )
                )
        elif (current.included, current.text) != (included, text):
            current.included, current.text = included, text
            to_update.append(current)
    reason = "feature matrix edited"
    if to_create:
        bulk_create_with_history(
            to_create, PlanFeature, default_user=by, default_change_reason=reason
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            PlanFeature,
            ["included", "text"],
            default_user=by,
            default_change_reason=reason,
        )
    return len(to_create) + len(to_update)
