"""Who may do what through the API (the admin's rules, for scripts).

Reads: any member of an organization, scoped by ``visible_to`` (so other organizations'
rows are 404s). Writes: vendor staff (and superusers), with the model permission the admin
would ask for. Distributors read only; anonymous callers get 401.
"""

from rest_framework import permissions

from catalog.querysets import vendor_of


class OrganizationPermission(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(user.is_superuser or vendor_of(user))
