"""Optional second factor at sign-in: a TOTP code (RFC 6238) from an app or a hardware token.

Anyone with a confirmed device enters a code after the password; the roles in
OTP_REQUIRED_ROLES must enrol one before they see any staff page. Call floors that ban phones
use hardware tokens: programmable ones are enrolled here from the QR code or the key shown,
factory-seeded ones by an administrator under "TOTP devices" in the admin (their key, digits
and time step as the vendor supplies them).
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User

OTP_ENROLLED = "otp_enrolled"
ACTION_LABELS = {OTP_ENROLLED: gettext_lazy("Two-factor sign-in set up")}


def second_factor_required(user: User) -> bool:
    """True when `user`'s roles must sign in with a second factor (OTP_REQUIRED_ROLES)."""
    required = set(settings.OTP_REQUIRED_ROLES)
    return bool(required) and any(role.value in required for role in user.roles())


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


SECOND_FACTOR_NEEDED = "second_factor_needed"


def second_factor_needed(request: HttpRequest) -> bool:
    """Whether this session's person must give a code, decided once per sign-in (kept in the
    session, so pages pay no query for it)."""
    if SECOND_FACTOR_NEEDED not in request.session:
        user = request.user
        request.session[SECOND_FACTOR_NEEDED] = has_device(user) or second_factor_required(user)
    return request.session[SECOND_FACTOR_NEEDED]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        help_text=gettext_lazy("The 6 or 8 digits your authenticator app or token shows now."),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) not in (6, 8):
            raise forms.ValidationError(_("Enter the 6 or 8 digits the token shows."))
        return code


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return settings.LOGIN_REDIRECT_URL


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the person's device."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = next((d for d in devices if d.verify_token(form.cleaned_data["code"])), None)
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code", _("That code is not right, or has been used. Wait for the next one and try again.")
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: show its key (QR code and text), confirm it with one code."""
    if has_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request)})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user,
            name=_("Authenticator"),
            confirmed=False,
            digits=settings.OTP_TOTP_DIGITS,
            step=settings.OTP_TOTP_STEP,
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                # One device at a time: a new one replaces the old (lost phone, new token).
                TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record_event(actor=request.user, action=OTP_ENROLLED, target=request.user)
            django_otp.login(request, device)
            messages.success(
                request, _("Two-factor sign-in is set up. You will be asked for a code at each sign-in.")
            )
            return redirect(_next_url(request))
        form.add_error(
            "code", _("That code is not right. Check the device's clock and enter the code it shows now.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "device": device,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_code": mark_safe(  # noqa: S308 (segno's SVG of our own otpauth URL)
                segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code of the key"))
            ),
            "required": second_factor_required(request.user),
        },
    )
