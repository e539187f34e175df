"""What arrives in writing, under /console/: the queue of e-mails, faxes, letters and web
messages nobody has taken yet, registering a fax or a letter with its scanned pages, and the
printed reply to a fax or a letter."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import User
from inquiries import audit
from inquiries.access import can_read_contact, get_inquiry_for_user, get_reply_for_user, read_contact
from inquiries.forms_written import AssignForm, PagesForm, PaperInquiryForm, PaperReplyForm, read_pages
from inquiries.models import Inquiry, Reply
from inquiries.services import InquiryError
from inquiries.services.written import (
    PAPER_CHANNELS,
    add_pages,
    assign_inquiry,
    record_paper_reply,
    register_paper_inquiry,
)

PAGE_SIZE = 50


@login_required
@permission_required("inquiries.assign_inquiries", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    """Open e-mails, faxes, letters and web messages nobody has taken, oldest first."""
    waiting = Inquiry.objects.unassigned_queue().annotate(
        email_count=Count("emails", distinct=True), page_count=Count("attachments", distinct=True)
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inquiries/queue.html",
        {"page_obj": page, "now": timezone.now(), "assign_form": AssignForm(), "query_string": ""},
    )


def _next_page(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
@login_required
@permission_required("inquiries.assign_inquiries", raise_exception=True)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_inquiry_for_user(request.user, pk)
    form = AssignForm(request.POST)
    back = _next_page(request, fallback=reverse("inquiries:detail", args=[inquiry.pk]))
    if not form.is_valid():
        messages.error(request, _("Choose a person from the list."))
        return redirect(back)
    assignee = form.cleaned_data["assignee"]
    try:
        assign_inquiry(
            inquiry=inquiry,
            assignee=assignee,
            user=request.user,
            expected_assignee_id=form.cleaned_data["expected_assignee"],
        )
    except InquiryError as error:
        messages.error(request, str(error))
    else:
        if assignee is None:
            messages.success(request, _("%(inquiry)s is back in the queue.") % {"inquiry": inquiry})
        else:
            messages.success(
                request, _("%(inquiry)s assigned to %(person)s.") % {"inquiry": inquiry, "person": assignee}
            )
    return redirect(back)


def _report_pages(request: HttpRequest, kept: int, refused: list[tuple[str, str]]) -> None:
    if kept:
        messages.success(request, _("%(count)d page file(s) kept.") % {"count": kept})
    for _name, reason in refused:
        messages.error(request, reason)


@never_cache
@login_required
@permission_required("inquiries.add_attachment", raise_exception=True)
def register_paper(request: HttpRequest) -> HttpResponse:
    """Register a fax or a letter as it arrived: it waits in the queue until someone takes it."""
    if not request.user.has_perm("inquiries.add_inquiry"):
        raise Http404
    if request.method != "POST":
        form = PaperInquiryForm(initial={"form_token": uuid.uuid4()})
        return render(request, "inquiries/paper_register.html", {"form": form})
    form = PaperInquiryForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "inquiries/paper_register.html", {"form": form}, status=400)
    pages, refused = read_pages(form.cleaned_data["pages"])
    try:
        inquiry, created = register_paper_inquiry(
            channel=form.cleaned_data["channel"],
            received_at=form.cleaned_data["received_at"],
            language=form.cleaned_data["language"],
            user=request.user,
            contact=form.contact(),
            form_token=form.cleaned_data["form_token"],
        )
    except InquiryError as error:
        form.add_error(None, str(error))
        return render(request, "inquiries/paper_register.html", {"form": form}, status=400)
    if not created:
        messages.info(request, _("%(inquiry)s was already registered.") % {"inquiry": inquiry})
        return redirect("inquiries:detail", pk=inquiry.pk)
    added = add_pages(inquiry=inquiry, pages=pages, user=request.user)
    messages.success(
        request,
        _("%(inquiry)s registered (reference %(reference)s). It waits in the queue.")
        % {"inquiry": inquiry, "reference": inquiry.reference},
    )
    _report_pages(request, len(added.kept), refused + added.refused)
    return redirect("inquiries:detail", pk=inquiry.pk)


@require_POST
@login_required
@permission_required("inquiries.add_attachment", raise_exception=True)
def upload_pages(request: HttpRequest, pk: int) -> HttpResponse:
    """More scanned pages for a fax or a letter (a second sheet, a page sent again)."""
    inquiry = get_inquiry_for_user(request.user, pk)
    if inquiry.channel not in PAPER_CHANNELS or not can_read_contact(request.user, inquiry):
        raise Http404
    form = PagesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the scanned pages to add."))
        return redirect("inquiries:detail", pk=pk)
    pages, refused = read_pages(form.cleaned_data["pages"])
    added = add_pages(inquiry=inquiry, pages=pages, user=request.user)
    _report_pages(request, len(added.kept), refused + added.refused)
    return redirect("inquiries:detail", pk=pk)


def _answer_from_qas(inquiry: Inquiry) -> str:
    """The answer to start from: the Q&As used, in order, or what the centre answered."""
    answers = [link.article.answer.strip() for link in inquiry.article_links.select_related("article")]
    return "\n\n".join(answer for answer in answers if answer) or inquiry.answer


def _addressee(inquiry: Inquiry, request: HttpRequest, channel: str) -> str:
    contact = read_contact(request.user, inquiry)
    if contact is None:
        return ""
    where = contact.fax if channel == Reply.Channel.FAX else contact.postal_address
    return "\n".join(part for part in (contact.name, where) if part)


@never_cache
@login_required
@permission_required("inquiries.add_reply", raise_exception=True)
def paper_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the answer to a fax or a letter; saving keeps it, closes the inquiry (unless it
    waits on a department) and opens the page to print."""
    inquiry = get_inquiry_for_user(request.user, pk)
    if inquiry.channel not in PAPER_CHANNELS or not can_read_contact(request.user, inquiry):
        raise Http404
    if request.method != "POST":
        channel = Reply.Channel.FAX if inquiry.channel == Reply.Channel.FAX else Reply.Channel.LETTER
        form = PaperReplyForm(
            initial={
                "channel": channel,
                "to": _addressee(inquiry, request, channel),
                "summary": inquiry.summary,
                "body": _answer_from_qas(inquiry),
                "form_token": uuid.uuid4(),
            }
        )
        return render(request, "inquiries/paper_reply.html", {"form": form, "inquiry": inquiry})
    form = PaperReplyForm(request.POST)
    if form.is_valid():
        try:
            reply, created = record_paper_reply(
                inquiry=inquiry,
                user=request.user,
                channel=form.cleaned_data["channel"],
                to=form.cleaned_data["to"],
                body=form.cleaned_data["body"],
                summary=form.cleaned_data["summary"],
                form_token=form.cleaned_data["form_token"],
            )
        except InquiryError as error:
            form.add_error(None, str(error))
        else:
            if created:
                messages.success(request, _("Reply saved. Print it and send it."))
            return redirect("inquiries:reply_print", pk=pk, reply=reply.pk)
    return render(request, "inquiries/paper_reply.html", {"form": form, "inquiry": inquiry}, status=400)


@never_cache
@login_required
@permission_required("inquiries.view_reply", raise_exception=True)
def reply_print(request: HttpRequest, pk: int, reply: int) -> HttpResponse:
    """A fax or letter reply as an A4 page on the centre's letterhead, to print or fax."""
    inquiry = get_inquiry_for_user(request.user, pk)
    found = get_reply_for_user(request.user, inquiry, reply)
    record_event(actor=request.user, action=audit.REPLY_VIEWED, target=found)
    # Printed in the citizen's language where the interface has it, the centre's words too.
    language = inquiry.language if inquiry.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        return render(
            request,
            "inquiries/reply_print.html",
            {
                "inquiry": inquiry,
                "reply": found,
                "letterhead": settings.CENTRE_LETTERHEAD,
                "address": settings.CENTRE_ADDRESS,
                "sent_on": formats.date_format(timezone.localtime(found.sent_at), "DATE_FORMAT"),
            },
        )


def written_context(user: User, inquiry: Inquiry) -> dict[str, object]:
    """What the inquiry page shows of the written side: who it is assigned to, and for a fax or
    a letter its scanned pages and printed replies (to those who may read its contact)."""
    is_paper = inquiry.channel in PAPER_CHANNELS
    readable = is_paper and can_read_contact(user, inquiry)
    return {
        "can_assign": user.has_perm("inquiries.assign_inquiries"),
        "assign_form": AssignForm(),
        "is_paper": is_paper,
        "scanned_pages": list(inquiry.attachments.filter(email__isnull=True)) if readable else [],
        "paper_replies": list(inquiry.replies.exclude(channel=Reply.Channel.EMAIL).select_related("sent_by"))
        if readable
        else [],
        "pages_form": PagesForm(),
    }
