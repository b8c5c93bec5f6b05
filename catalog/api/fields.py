"""Serializer fields that only reach the caller's own rows."""

from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key the caller may point at: rows ``visible_to`` them, others do not exist.

    Another vendor's id gets the same 400 as an id that was never used, so it reveals nothing.
    """

    def __init__(self, model=None, **kwargs):
        self.model = model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none() if model else None)
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        model = self.model or self.queryset.model
        if request is None:
            return model._default_manager.none()
        return model._default_manager.visible_to(request.user)
