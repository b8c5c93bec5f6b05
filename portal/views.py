"""The distributor portal: read-only pages, GET only (login and logout aside).

Views parse the request, call one selector and render; who sees what is decided by
``visible_to(user)`` inside the selectors.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from catalog.querysets import membership_of
from portal.forms import ListingFilterForm
from portal.locales import content_locale
from portal.selectors import (
    listing_filter_choices,
    listing_for_page,
    listing_index,
    listing_page,
    portal_role,
)

PAGE_SIZE = 20


class EnglishUIMixin:
    """The portal's own words are English; only item texts follow the reader's language.

    LocaleMiddleware would switch Django's built-in strings (form errors) to the browser's
    language, which would mix languages on one page and contradict ``<html lang>``.
    """

    def dispatch(self, request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
            return response


# A read-only page answers any other method with 405, before the CSRF check could turn it
# into a 403: nothing is written, so there is nothing for a token to protect.
@method_decorator(csrf_exempt, name="dispatch")
class PortalView(EnglishUIMixin, View):
    """A signed-in portal page for distributors, vendor staff (preview) and superusers."""

    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:login"))
        role = portal_role(request.user)
        if role is None:
            return render(request, "portal/forbidden.html", status=403)
        self.locale = content_locale(request)
        return self.page(request, *args, **kwargs)

    def page(self, request, *args, **kwargs):
        raise NotImplementedError

    def context(self, **extra) -> dict:
        user = self.request.user
        membership = membership_of(user)
        organization = (membership.vendor or membership.distributor) if membership else None
        return {
            "locale": self.locale,
            "languages": settings.LANGUAGES,
            "role": portal_role(user),
            "organization": organization,
            **extra,
        }


class IndexView(PortalView):
    """The listings the user may see, searchable and filtered, a page at a time."""

    def page(self, request):
        form = ListingFilterForm(request.GET, choices=listing_filter_choices(user=request.user))
        filters = form.filters()
        paginator = Paginator(listing_index(user=request.user, filters=filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        return render(
            request,
            "portal/index.html",
            self.context(
                form=form,
                filters=filters,
                page=page,
                page_range=list(paginator.get_elided_page_range(page.number)),
            ),
        )


class ListingView(PortalView):
    """One listing: plans and feature matrix with prices, items, add-ons and paths."""

    def page(self, request, pk: int):
        listing = get_object_or_404(listing_for_page(user=request.user), pk=pk)
        page = listing_page(listing=listing, user=request.user, locale=self.locale)
        return render(request, "portal/listing.html", self.context(page=page, listing=listing))


class PortalLoginView(EnglishUIMixin, LoginView):
    template_name = "portal/login.html"
    next_page = "portal:index"
    redirect_authenticated_user = True


class PortalLogoutView(EnglishUIMixin, LogoutView):
    next_page = "portal:login"
