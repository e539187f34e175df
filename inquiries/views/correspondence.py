"""What citizens wrote and what the centre sent back, under /console/inquiries/<pk>/: the
e-mails on the inquiry's page, an e-mail as received, attachments and their previews, and the
e-mail reply. All personal data: loaded only through inquiries.access, every read audited."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from contactcenter.accounts.models import User
from inquiries.access import (
    can_read_correspondence,
    can_reply,
    get_attachment_for_user,
    get_email_for_user,
    get_inquiry_for_user,
    read_correspondence,
)
from inquiries.forms_reply import EmailReplyForm
from inquiries.models import Attachment, CallerContact, Inquiry
from inquiries.services.calls import InquiryError
from inquiries.services.email import reply_subject, send_email_reply


def correspondence_context(user: User, inquiry: Inquiry) -> dict[str, object]:
    """What the inquiry page shows of the correspondence: everything (its reading audited) to
    those who may read it, only how many e-mails there are to the others."""
    readable = can_read_correspondence(user, inquiry)
    return {
        "correspondence": read_correspondence(user, inquiry) if readable else None,
        "email_count": inquiry.emails.count(),
        "can_reply": can_reply(user, inquiry),
    }


def _file_response(stored: FieldFile, *, name: str, content_type: str, inline: bool) -> FileResponse:
    if not stored:  # erased after the retention period (inquiries.services.retention)
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF or image shown inline runs nothing and reaches nothing of the staff site.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@permission_required("inquiries.view_inboundemail", raise_exception=True)
def email_raw(request: HttpRequest, pk: int, email_pk: int) -> FileResponse:
    """The e-mail exactly as received (.eml), always downloaded, never shown by the browser."""
    inquiry = get_inquiry_for_user(request.user, pk)
    email = get_email_for_user(request.user, inquiry, email_pk)
    return _file_response(
        email.raw,
        name=f"inquiry-{inquiry.pk}-email-{email.pk}.eml",
        content_type="message/rfc822",
        inline=False,
    )


@never_cache
@login_required
@permission_required("inquiries.view_attachment", raise_exception=True)
def attachment_file(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An attachment as kept: a PDF or image opens in the browser, a TIFF downloads."""
    inquiry = get_inquiry_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, inquiry, attachment_pk)
    return _file_response(
        attachment.file,
        name=attachment.name,
        content_type=attachment.content_type,
        inline=attachment.content_type != Attachment.Kind.TIFF,
    )


@never_cache
@login_required
@permission_required("inquiries.view_attachment", raise_exception=True)
def attachment_preview(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A TIFF's pages as a PDF the browser shows; for other files, the file itself."""
    inquiry = get_inquiry_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, inquiry, attachment_pk)
    if not attachment.preview:
        return _file_response(
            attachment.file, name=attachment.name, content_type=attachment.content_type, inline=True
        )
    stem = attachment.name.rsplit(".", 1)[0] or attachment.name
    return _file_response(attachment.preview, name=f"{stem}.pdf", content_type="application/pdf", inline=True)


def _reply_text(inquiry: Inquiry) -> str:
    """A first draft in the inquiry's language: greeting, the answers of the Q&As used (or the
    answer written on the inquiry), closing and the reference to quote."""
    answers = [link.article.answer.strip() for link in inquiry.article_links.select_related("article")]
    # Nothing to start from: an empty paragraph where the answer goes.
    answers = [answer for answer in answers if answer] or [inquiry.answer.strip()]
    language = inquiry.language if inquiry.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        greeting = _("Thank you for contacting %(centre)s.") % {"centre": _centre_name(language)}
        closing = _(
            "If you have any further questions, reply to this e-mail and keep the reference "
            "%(reference)s in the subject."
        ) % {"reference": inquiry.reference}
        signature = _centre_name(language)
    return "\n\n".join([greeting, *answers, closing, signature])


def _centre_name(language: str) -> str:
    suffix = {"en": "_EN", "zh-hans": "_ZH_HANS", "ko": "_KO"}.get(language, "")
    return getattr(settings, f"CENTRE_NAME{suffix}", settings.CENTRE_NAME)


def _addresses(inquiry: Inquiry) -> list[str]:
    contact = CallerContact.objects.filter(inquiry=inquiry).first()
    senders = inquiry.emails.exclude(sender="").order_by("-received_at").values_list("sender", flat=True)
    return list(dict.fromkeys([*([contact.email] if contact and contact.email else []), *senders]))


@never_cache
@login_required
@permission_required("inquiries.add_reply", raise_exception=True)
def email_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Write and send the e-mail reply; sending closes the inquiry as resolved (an escalated
    one stays as it is). A mail server that refuses loses nothing: the form comes back."""
    inquiry = get_inquiry_for_user(request.user, pk)
    if not can_reply(request.user, inquiry):
        raise Http404
    addresses = _addresses(inquiry)
    if request.method == "POST":
        form = EmailReplyForm(request.POST, addresses=addresses)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _reply, sent = send_email_reply(
                    inquiry=inquiry,
                    user=request.user,
                    to=data["to"],
                    subject=data["subject"],
                    body=data["body"],
                    summary=data["summary"],
                    form_token=data["form_token"],
                )
            except InquiryError as error:
                form.add_error(None, str(error))
            else:
                if sent:
                    messages.success(request, _("The reply was sent."))
                else:
                    messages.info(request, _("This reply had already been sent; it was not sent again."))
                return redirect("inquiries:detail", pk=pk)
    else:
        form = EmailReplyForm(
            addresses=addresses,
            initial={
                "to": addresses[0] if addresses else "",
                "subject": reply_subject(inquiry),
                "body": _reply_text(inquiry),
                "summary": inquiry.summary,
                "form_token": uuid.uuid4(),
            },
        )
    return render(
        request,
        "inquiries/inquiry_reply.html",
        {
            "inquiry": inquiry,
            "form": form,
            "correspondence": read_correspondence(request.user, inquiry),
            "has_address": bool(addresses),
        },
    )
