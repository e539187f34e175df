from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcenter.accounts.middleware import seconds_left


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.success(request, _("You have logged out."))
    response = redirect("accounts:login")
    # Shared office PCs: drop anything the browser kept from the staff pages.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        # Saved with the new password: the one an administrator set is no longer in use.
        form.user.must_change_password = False
        return super().form_valid(form)


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """Renews the session (as every request does) and says how long it now lasts.

    The console calls it while an operator types, so a long call never ends the session; it
    answers 401 instead of a redirect once the session has ended, for the script to say so.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse(
        {
            "signed_in": True,
            "idle_seconds": settings.SESSION_COOKIE_AGE,
            "absolute_seconds": seconds_left(request),
        }
    )
