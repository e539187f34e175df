"""Find an inquiry by the reference a citizen quotes (on the phone, in a letter or an e-mail)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from inquiries.access import get_inquiry_for_user
from inquiries.models import normalize_reference
from inquiries.services.inbox import find_by_reference


class ReferenceLookupForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference number"),
        max_length=40,
        help_text=gettext_lazy(
            "As the citizen gives it, e.g. 7K3M-Q9TD-2F; case, spaces and hyphens do not matter."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": gettext_lazy("A reference has ten letters and digits.")},
    )

    def clean_reference(self) -> str:
        reference = normalize_reference(self.cleaned_data["reference"])
        if not reference:
            raise forms.ValidationError(
                _("A reference has ten letters and digits, like 7K3M-Q9TD-2F. Check what was typed.")
            )
        return reference


@login_required
@permission_required("inquiries.view_inquiry", raise_exception=True)
@require_GET
def find_by_reference_view(request: HttpRequest) -> HttpResponse:
    """Open the inquiry with this reference if this person may see it. Not found and not
    visible get the same answer, so the page tells nobody which references exist.

    A contact-form message still waiting in the inbox is taken in first: that is the work the
    `take_inbox` loop does anyway (idempotent, no one's decision), so a GET may trigger it.
    """
    form = ReferenceLookupForm(request.GET if "reference" in request.GET else None)
    if not form.is_bound:
        return render(request, "inquiries/find_reference.html", {"form": form})
    if not form.is_valid():
        return render(request, "inquiries/find_reference.html", {"form": form}, status=400)
    reference = form.cleaned_data["reference"]
    found = find_by_reference(reference)
    if found is not None:
        try:
            inquiry = get_inquiry_for_user(request.user, found)
        except Http404:
            pass
        else:
            return redirect("inquiries:detail", inquiry.pk)
    return render(
        request,
        "inquiries/find_reference.html",
        {"form": form, "not_found": reference},
        status=404,
    )
