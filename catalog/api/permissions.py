"""Who may do what through the API: what the token's user may do in the admin, no more.

Reads: any member of an organization, scoped by ``visible_to`` (other organizations' rows
are 404s). Writes: vendor staff (and superusers) holding the model permission the admin
would ask for (add / change / delete). Distributors read only; anonymous callers get 401.
"""

from rest_framework import permissions

from catalog.querysets import vendor_of

PERMISSION_FOR = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class OrganizationPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if user.is_superuser:
            return True
        if not vendor_of(user):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return False
        action = PERMISSION_FOR.get(request.method, "change")
        if getattr(view, "detail", False) and request.method == "POST":
            action = "change"  # actions on one object (clone, process, …) change it
        opts = model._meta
        return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
