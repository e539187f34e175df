"""Signing in: the audit trail of sign-ins and failures, and the page a locked-out sign-in gets.

The lockout itself is django-axes (settings.AXES_*). Nothing here stores a password or the
user name someone typed: a failure names the account when one has that name, otherwise only
how long the typed name was.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import AuditEvent, User

SIGNED_IN = "signed_in"
SIGN_IN_FAILED = "sign_in_failed"

ACTION_LABELS = {
    SIGNED_IN: gettext_lazy("Signed in"),
    SIGN_IN_FAILED: gettext_lazy("Sign-in failed"),
}


def record_sign_in(*, sender: type, request: HttpRequest, user: User, **kwargs: object) -> None:
    from contactcenter.accounts.middleware import SIGNED_IN_AT
    from contactcenter.accounts.two_factor import SECOND_FACTOR_NEEDED, has_device, second_factor_required

    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())  # the absolute session limit counts from here
        # Decided once per sign-in, so pages pay no query for it.
        request.session[SECOND_FACTOR_NEEDED] = has_device(user) or second_factor_required(user)
    record_event(actor=user, action=SIGNED_IN, target=user)


def record_sign_in_failure(
    *, sender: object, credentials: dict, request: HttpRequest | None = None, **kwargs: object
) -> None:
    typed = str(credentials.get("username") or "")
    user = User.objects.filter(username=typed).first() if typed else None
    if user is not None:
        record_event(actor=None, action=SIGN_IN_FAILED, target=user)
        return
    AuditEvent.objects.create(
        actor=None,
        action=SIGN_IN_FAILED,
        content_type=ContentType.objects.get_for_model(User),
        object_id="",
        object_repr=_("unknown user name (%(length)d characters)") % {"length": len(typed)},
    )


def lockout_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The sign-in page again, saying why it refuses and what to do (HTTP 429)."""
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "next": request.POST.get("next", "") if request.method == "POST" else "",
            "locked_out": _(
                "Too many failed sign-ins with this user name from this computer. Wait %(minutes)d "
                "minutes and try again, or ask your supervisor or an administrator to unlock it now."
            )
            % {"minutes": lockout_minutes()},
        },
        status=429,
    )
