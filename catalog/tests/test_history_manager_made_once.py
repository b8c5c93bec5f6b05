"""Every tracked model's history manager class is made once, not on each ``Model.history``
(``catalog.history_records``): a tracked save or a ``bulk_history_create`` does not pay for
making a class (about 0.1 ms)."""

from __future__ import annotations

from django.apps import apps


def tracked_models() -> list:
    return [
        model
        for model in apps.get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    ]


def test_every_tracked_models_history_manager_class_is_made_once():
    models = tracked_models()
    print(f"\n{len(models)} tracked models")

    made_again = [
        model.__name__
        for model in models
        if type(getattr(model, model._meta.simple_history_manager_attribute))
        is not type(getattr(model, model._meta.simple_history_manager_attribute))
    ]

    assert len(models) >= 20
    assert made_again == []
