from django.urls import path

from insights.views import PortalLadderView, PortalPriceCurveView
from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("listings/<int:pk>/", views.ListingView.as_view(), name="listing"),
    path("listings/<int:pk>/upgrades/", PortalLadderView.as_view(), name="ladder"),
    path(
        "listings/<int:pk>/prices/<int:price>/",
        PortalPriceCurveView.as_view(),
        name="price_curve",
    ),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
]
