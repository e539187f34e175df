"""The public contact form and its confirmation page, under the public site's language prefixes.

Both pages are `never_cache`: the form carries the visitor's CSRF token and what they typed,
the confirmation their reference, and no shared cache may hand either to another visitor.
These views only insert into the inbox; they read no inquiry and no inbox row.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from contactcenter.lib import ratelimit
from contactcenter.lib.translation import reader_language
from inquiries.forms_contact import QUESTION_MAX_LENGTH, ContactForm
from inquiries.models import ReplyMethod
from inquiries.services.inbox import (
    ContactMessage,
    MessageRefused,
    ReferenceTaken,
    centre_details,
    send_confirmation,
    submit_contact_message,
    what_happens_next,
)

THANKS_SALT = "inquiries.contact-thanks"
# Long enough to come back to the page the same day; after that the link shows no reference.
THANKS_MAX_AGE = timedelta(hours=24)


def _refusal_text(reason: str) -> str:
    centre = centre_details(reader_language())
    return _("%(reason)s You can also call us at %(phone)s or send a fax to %(fax)s.") % {
        "reason": reason,
        "phone": centre["phone"],
        "fax": centre["fax"],
    }


def _form_page(
    request: HttpRequest, form: ContactForm, *, status: int = 200, refusal: str = ""
) -> HttpResponse:
    return render(
        request,
        "public/contact_form.html",
        {
            "form": form,
            "refusal": refusal,
            "question_max_length": QUESTION_MAX_LENGTH,
            # Counted as the form's max_length counts (a line break sent as CR LF is two).
            "question_count_html": format_html(
                "<span data-count>{}</span>",
                formats.number_format(
                    len(form.data.get("question", "")) if form.is_bound else 0, force_grouping=True
                ),
            ),
        },
        status=status,
    )


def _without_honeypot(form: ContactForm) -> ContactForm:
    """The form as typed, its honeypot emptied: a person whose browser filled it can send again."""
    data = form.data.copy()
    data["website"] = ""
    return type(form)(data)


@never_cache
@require_http_methods(["GET", "POST"])
def contact_form(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form_page(request, ContactForm(initial={"article": request.GET.get("article", "")[:20]}))
    try:
        data = request.POST
    except RequestDataTooBig:
        # Past Django's own limit nothing can be read back; no browser sends this with our form.
        return _form_page(
            request,
            ContactForm(),
            status=413,
            refusal=_refusal_text(_("Your message was too long to be sent, and could not be kept.")),
        )
    form = ContactForm(data)
    if int(request.META.get("CONTENT_LENGTH") or 0) > settings.CONTACT_FORM_MAX_BYTES:
        form.is_valid()  # the fields say which are too long
        return _form_page(
            request,
            form,
            status=413,
            refusal=_refusal_text(_("Your message is too long to be sent. Please shorten it.")),
        )
    if form.is_spam():
        # Refused openly rather than with a pretend thank-you: a person whose browser filled the
        # hidden field (autofill, an assistive tool) must learn the message was not sent, and a
        # bot learns nothing it could not learn anyway. Nothing is stored.
        return _form_page(
            request,
            _without_honeypot(form),
            status=400,
            refusal=_refusal_text(_("Your message could not be sent.")),
        )
    if not form.is_valid():
        return _form_page(request, form, status=400)
    values = form.cleaned_data
    language = reader_language()
    message = ContactMessage(
        form_token=values["form_token"],
        question=values["question"],
        language=language,
        reply_by=values["reply_by"],
        age_band=values["age_band"],
        gender=values["gender"],
        name=values["name"],
        email=values["email"],
        phone=values["phone"],
        fax=values["fax"],
        postal_address=values["postal_address"],
        article_id=values["article"],
    )
    try:
        submitted = submit_contact_message(message=message, visitor=ratelimit.visitor_address(request))
    except ReferenceTaken as refused:
        return _form_page(request, form.with_new_token(), status=409, refusal=str(refused))
    except MessageRefused as refused:
        return _form_page(request, form, status=429, refusal=_refusal_text(str(refused)))
    # A double post sends nothing: the first post sent the mail, if one was due.
    emailed = bool(message.email)
    if submitted.stored_now:
        emailed = send_confirmation(
            email=message.email, reference=submitted.reference, reply_by=message.reply_by, language=language
        )
    signed = signing.dumps({"r": submitted.reference, "m": message.reply_by, "e": emailed}, salt=THANKS_SALT)
    return redirect(f"{reverse('contact:thanks')}?{urlencode({'r': signed})}")


def _confirmation(query: QueryDict) -> dict[str, object] | None:
    """What the signed `r` carries, or None when it is missing, altered, old or malformed."""
    try:
        value = signing.loads(query.get("r", ""), salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("r"), str)
        or value.get("m") not in ReplyMethod.values
    ):
        return None
    return value


@never_cache
@require_GET
def contact_thanks(request: HttpRequest) -> HttpResponse:
    confirmation = _confirmation(request.GET)
    if confirmation is None:
        return render(request, "public/contact_thanks.html", {"invalid": True}, status=400)
    reply_by = confirmation["m"]
    return render(
        request,
        "public/contact_thanks.html",
        {
            "reference": confirmation["r"],
            "next": what_happens_next(reply_by),
            "emailed": bool(confirmation.get("e")),
        },
    )
