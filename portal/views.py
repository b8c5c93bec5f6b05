"""The distributor portal: read-only pages, GET only (login and logout aside).

Views parse the request, call one selector and render; who sees what is decided by
``visible_to(user)`` inside the selectors.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.shortcuts import get_object_or_404, render
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from catalog.paginator import CappedPaginator
from catalog.querysets import membership_of
from portal.forms import ListingFilterForm
from portal.locales import ContentLocale, content_locale
from portal.selectors import (
    listing_filter_choices,
    listing_for_page,
    listing_index,
    listing_page,
    listing_rows,
    portal_role,
)

PAGE_SIZE = 20


def ui_language(locale: ContentLocale) -> str:
    """The language of the portal's own words: the content language when the portal has a
    catalogue for it (settings.LANGUAGES), else the default; "fr" serves "fr-CA" readers."""
    language = locale.language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class PortalLanguageMixin:
    """The page is in the reader's language: ``?lang=`` or, without it, Accept-Language.

    The portal's own words come from its message catalogues (``locale/``), item, offer,
    plan and feature texts from their translations, money and numbers from Babel. Django's
    LocaleMiddleware is not used: it would read the session and the cookie, which the
    portal does not, and could put Django's built-in strings in another language than
    ``<html lang>``.
    """

    def dispatch(self, request, *args, **kwargs):
        self.locale = content_locale(request)
        with translation.override(ui_language(self.locale)):
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()
            return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "locale": self.locale, "languages": settings.LANGUAGES}


# A read-only page answers any other method with 405, before the CSRF check could turn it
# into a 403: nothing is written, so there is nothing for a token to protect.
@method_decorator(csrf_exempt, name="dispatch")
class PortalView(PortalLanguageMixin, View):
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
            return render(request, "portal/forbidden.html", {"locale": self.locale}, status=403)
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
        asked = ListingFilterForm.asked(request.GET)
        choices = listing_filter_choices(user=request.user, **asked)
        form = ListingFilterForm(request.GET, choices=choices)
        filters = form.filters()
        # Counted up to LIST_COUNT_LIMIT listings (catalog.paginator), never all of them.
        paginator = CappedPaginator(listing_index(user=request.user, filters=filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        return render(
            request,
            "portal/index.html",
            self.context(
                form=form,
                filters=filters,
                page=page,
                listings=listing_rows(page.object_list, locale=self.locale),
                page_range=list(paginator.get_elided_page_range(page.number)),
            ),
        )


class ListingView(PortalView):
    """One listing: plans and feature matrix with prices, items, add-ons and paths."""

    def page(self, request, pk: int):
        listing = get_object_or_404(listing_for_page(user=request.user), pk=pk)
        page = listing_page(listing=listing, user=request.user, locale=self.locale)
        return render(request, "portal/listing.html", self.context(page=page, listing=listing))


class PortalLoginView(PortalLanguageMixin, LoginView):
    template_name = "portal/login.html"
    next_page = "portal:index"
    redirect_authenticated_user = True


class PortalLogoutView(PortalLanguageMixin, LogoutView):
    next_page = "portal:login"
