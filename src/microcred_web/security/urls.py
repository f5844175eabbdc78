"""``/accounts/``: signing in and out, and changing one's password once signed in.

Password *reset* by e-mail is deliberately not offered: accounts are staff accounts that an
operator creates, and the operator resets a forgotten password with
``python -m microcred_web.manage changepassword <user>`` (docs/security.md). That keeps the
instance free of outgoing mail and of a public form that sends it.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from microcred_web.security.signin import SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
