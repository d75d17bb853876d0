from django.urls import include, path

from . import views

urlpatterns = [
    path("api/v1/echo/", views.EchoView.as_view()),
    path("api/v1/crash/", views.CrashView.as_view()),
    path("api/v1/rule/", views.ServiceRuleView.as_view()),
    path("api/v1/db-down/", views.DatabaseDownView.as_view()),
    path("api/v1/numbers/", views.NumbersView.as_view()),
    path("api/v1/login-like/", views.LoginLikeView.as_view()),
    path("api/v1/ride-along/", views.RideAlongView.as_view()),
    path("api/v1/plain-crash/", views.plain_crash),
    path("elsewhere/crash/", views.plain_crash),
    path("", include("config.urls")),
]

handler404 = "setlist.core.errors.page_not_found"
handler500 = "setlist.core.errors.server_error"
