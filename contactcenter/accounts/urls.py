from django.contrib.auth import views as auth_views
from django.urls import path

from contactcenter.accounts import two_factor, views

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", views.logout, name="logout"),
    path("session/", views.keep_alive, name="keep_alive"),
    path("two-factor/", two_factor.verify, name="otp_verify"),
    path("two-factor/setup/", two_factor.setup, name="otp_setup"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
