"""Account routes, mounted at `/api/v1/`. Public profiles (`users/<username>/`) belong to
the library app; only `users/me/...` is here."""

from django.urls import path

from .views import auth, cookies, users

app_name = "accounts"

urlpatterns = [
    path("auth/register/", auth.RegisterView.as_view(), name="register"),
    path("auth/token/", auth.TokenObtainView.as_view(), name="token"),
    path("auth/token/refresh/", auth.TokenRefreshView.as_view(), name="token-refresh"),
    path("auth/token/verify/", auth.TokenVerifyView.as_view(), name="token-verify"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/logout-all/", auth.LogoutAllView.as_view(), name="logout-all"),
    path("auth/sessions/", auth.SessionListView.as_view(), name="session-list"),
    path("auth/sessions/<id:pk>/", auth.SessionDetailView.as_view(), name="session-detail"),
    path("auth/api-token/", auth.ApiTokenView.as_view(), name="api-token"),
    path("auth/cookie/login/", cookies.CookieLoginView.as_view(), name="cookie-login"),
    path("auth/cookie/refresh/", cookies.CookieRefreshView.as_view(), name="cookie-refresh"),
    path("auth/cookie/logout/", cookies.CookieLogoutView.as_view(), name="cookie-logout"),
    path("auth/password-reset/", users.PasswordResetView.as_view(), name="password-reset"),
    path(
        "auth/password-reset/confirm/",
        users.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("users/me/", users.MeView.as_view(), name="me"),
    path("users/me/password/", users.PasswordChangeView.as_view(), name="password-change"),
]
