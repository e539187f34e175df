import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def _signed_in_user(request: HttpRequest):
    """The signed-in user, or None. A visitor without a session cookie is never looked up, so
    these checks cost public pages nothing (no session read, no `Vary: Cookie`)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class PasswordChangeRequiredMiddleware:
    """Someone whose password an administrator set sees only the password-change page until
    they have chosen their own (they may still sign out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _signed_in_user(request)
        if user is not None and getattr(user, "must_change_password", False):
            allowed = {
                reverse("accounts:password_change"),
                reverse("accounts:password_change_done"),
                reverse("accounts:logout"),
            }
            if request.path_info not in allowed:
                messages.warning(
                    request, _("An administrator set your password. Choose your own before you continue.")
                )
                return redirect("accounts:password_change")
        return self.get_response(request)


SIGNED_IN_AT = "signed_in_at"


def seconds_left(request: HttpRequest) -> int:
    """Seconds until the session's absolute limit (SESSION_ABSOLUTE_SECONDS after sign-in)."""
    started = request.session.get(SIGNED_IN_AT, int(time.time()))
    return max(0, started + settings.SESSION_ABSOLUTE_SECONDS - int(time.time()))


class SessionLimitMiddleware:
    """A staff session ends SESSION_ABSOLUTE_SECONDS after sign-in, however busy it was.

    The idle limit is the session cookie's age, renewed by every request. The request that
    finds the session over its limit goes on signed out, so a staff page sends it to sign in
    again (and back to the page afterwards).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _signed_in_user(request) is not None:
            if SIGNED_IN_AT not in request.session:
                request.session[SIGNED_IN_AT] = int(time.time())
            elif seconds_left(request) == 0:
                auth.logout(request)
                hours = round(settings.SESSION_ABSOLUTE_SECONDS / 3600)
                messages.info(
                    request,
                    _("For safety, a sign-in lasts at most %(hours)d hours. Please sign in again.")
                    % {"hours": hours},
                )
        return self.get_response(request)


class SecondFactorMiddleware:
    """Someone signed in with a password but not yet with their code (or who must enrol a
    device first) sees only those pages, and can sign out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from contactcenter.accounts.two_factor import has_device, second_factor_needed

        user = _signed_in_user(request)
        if (
            user is not None
            and hasattr(user, "is_verified")  # django-otp's middleware is installed
            and not user.is_verified()
            and second_factor_needed(request)
        ):
            allowed = {
                reverse("accounts:otp_verify"),
                reverse("accounts:otp_setup"),
                reverse("accounts:logout"),
            }
            if request.path_info not in allowed:
                step = "accounts:otp_verify" if has_device(user) else "accounts:otp_setup"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
