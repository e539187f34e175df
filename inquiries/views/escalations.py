"""Escalations under /console/: passing an inquiry to a department, the departments' list and
page with their reply, the contact the centre shares for one escalation, and Q&A drafts
started from an inquiry or a reply."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from inquiries.access import (
    ANSWER_ESCALATIONS,
    answers_for_department,
    can_read_contact,
    can_read_shared_contact,
    can_share_contact,
    get_escalation_for_user,
    get_inquiry_for_user,
    read_shared_contact,
    visible_escalations,
)
from inquiries.forms_escalations import AnswerForm, CancelForm, EscalateForm, EscalationFilterForm
from inquiries.models import Escalation, EscalationStatus, Inquiry, Outcome
from inquiries.services import escalations as services
from inquiries.views.console import next_call_url

PAGE_SIZE = 50
VIEW = "inquiries.view_escalation"


def _waiting_first(escalations):
    return escalations.annotate(
        waiting_first=Case(
            When(status=EscalationStatus.WAITING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting_first", "reply_by", "created_at", "pk")


@login_required
@permission_required(VIEW, raise_exception=True)
def escalation_list(request: HttpRequest) -> HttpResponse:
    """A department's escalations (its editors), everyone's (leaders and supervisors), or
    those of an operator's own inquiries; waiting ones first, earliest reply-by date first."""
    own_department = answers_for_department(request.user)
    form = EscalationFilterForm(request.GET, all_departments=not own_department)
    escalations = _waiting_first(form.filter(visible_escalations(request.user)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inquiries/escalation_list.html",
        {
            "form": form,
            "page_obj": Paginator(escalations, PAGE_SIZE).get_page(request.GET.get("page")),
            "query_string": query.urlencode(),
            "own_department": own_department,
        },
    )


def _detail_context(request: HttpRequest, escalation: Escalation, **extra: object) -> dict[str, object]:
    user = request.user
    inquiry = escalation.inquiry
    used = [link.article for link in inquiry.article_links.select_related("article").order_by("position")]
    answer_form = extra.pop("answer_form", None)
    if answer_form is None and services.can_answer(user, escalation):
        answer_form = AnswerForm(initial={"version": escalation.version})
    return {
        "escalation": escalation,
        "inquiry": inquiry,
        "used": used,
        "answer_form": answer_form,
        "sees_inquiry": not answers_for_department(user),
        "can_share": can_share_contact(user, escalation),
        "can_read_shared": can_read_shared_contact(user, escalation),
        "can_cancel": services.can_cancel(user, escalation),
        "cancel_form": CancelForm() if services.can_cancel(user, escalation) else None,
        "can_finish": services.can_finish(user, escalation),
        "can_start_article": services.can_start_article(user, escalation),
        "drafts": list(escalation.article_drafts.select_related("article")),
        **extra,
    }


@login_required
@permission_required(VIEW, raise_exception=True)
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_escalation_for_user(request.user, pk)
    return render(request, "inquiries/escalation_detail.html", _detail_context(request, escalation))


@require_POST
@login_required
@permission_required(ANSWER_ESCALATIONS, raise_exception=True)
def escalation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_escalation_for_user(request.user, pk)
    if escalation.department_id != request.user.department_id:
        raise Http404
    form = AnswerForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.answer_escalation(
                escalation=escalation,
                user=request.user,
                reply=form.cleaned_data["reply"],
                action=form.cleaned_data["action"],
                expected_version=form.cleaned_data["version"],
            )
        except services.EscalationError as error:
            form.add_error(None, str(error))
            escalation = get_escalation_for_user(request.user, pk)
            status = 409
        else:
            messages.success(request, _("Reply saved. The centre has been given it."))
            return redirect("inquiries:escalation", pk=pk)
    return render(
        request,
        "inquiries/escalation_detail.html",
        _detail_context(request, escalation, answer_form=form),
        status=status,
    )


@require_POST
@login_required
@permission_required("inquiries.view_callercontact", raise_exception=True)
def escalation_share_contact(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_escalation_for_user(request.user, pk)
    if not can_read_contact(request.user, escalation.inquiry):
        raise Http404
    try:
        services.share_contact(escalation=escalation, user=request.user)
    except services.EscalationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The caller's contact is now shared with %(department)s for this escalation.")
            % {"department": escalation.department},
        )
    return redirect("inquiries:escalation", pk=pk)


@never_cache
@login_required
@permission_required(ANSWER_ESCALATIONS, raise_exception=True)
def escalation_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact the centre shared for this escalation, for its department (audited)."""
    escalation = get_escalation_for_user(request.user, pk)
    contact = read_shared_contact(request.user, escalation)
    return render(
        request, "inquiries/escalation_contact.html", {"escalation": escalation, "contact": contact}
    )


@require_POST
@login_required
@permission_required(services.CANCEL_ESCALATIONS, raise_exception=True)
def escalation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_escalation_for_user(request.user, pk)
    form = CancelForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.cancel_escalation(escalation=escalation, user=request.user, note=note)
    except services.EscalationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The escalation was cancelled."))
    return redirect("inquiries:escalation", pk=pk)


@require_POST
@login_required
@permission_required("inquiries.change_inquiry", raise_exception=True)
def escalation_finish(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_escalation_for_user(request.user, pk)
    try:
        services.finish_escalation_task(escalation=escalation, user=request.user)
    except services.EscalationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done: the department's reply was passed on."))
    return redirect("inquiries:detail", pk=escalation.inquiry_id)


@login_required
@permission_required("inquiries.add_escalation", raise_exception=True)
def inquiry_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """Pass an inquiry to a department (the console sends escalated inquiries here too)."""
    inquiry = get_inquiry_for_user(request.user, pk)
    can_share = can_read_contact(request.user, inquiry)
    form = EscalateForm(request.POST or None, can_share=can_share)
    if request.method == "POST" and form.is_valid():
        try:
            escalation = services.escalate_inquiry(
                inquiry=inquiry,
                department=form.cleaned_data["department"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                share_contact=form.cleaned_data.get("share_contact", False),
            )
        except services.EscalationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Escalated to %(department)s. Reply expected by %(date)s.")
                % {"department": escalation.department, "date": escalation.reply_by.isoformat()},
            )
            if request.GET.get("from") == "console":
                return redirect(next_call_url(inquiry))
            return redirect("inquiries:detail", pk=pk)
    return render(
        request,
        "inquiries/escalation_form.html",
        {
            "form": form,
            "inquiry": inquiry,
            "closed": not services.can_escalate(request.user, inquiry),
            "reply_days": settings.ESCALATION_REPLY_WORKING_DAYS,
        },
        status=400 if form.errors else 200,
    )


def _start_article(
    request: HttpRequest, inquiry: Inquiry, escalation: Escalation | None, back: str
) -> HttpResponse:
    try:
        article = services.start_article_from_inquiry(
            inquiry=inquiry, escalation=escalation, user=request.user
        )
    except services.EscalationError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, _("A Q&A draft was started from this. Check it, then submit it for review."))
    return redirect("kb:edit", pk=article.pk)


@require_POST
@login_required
@permission_required("knowledgebase.change_article", raise_exception=True)
def escalation_article(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = get_escalation_for_user(request.user, pk)
    if not services.can_start_article(request.user, escalation):
        raise Http404
    return _start_article(
        request, escalation.inquiry, escalation, reverse("inquiries:escalation", args=[escalation.pk])
    )


@require_POST
@login_required
@permission_required("knowledgebase.publish_article", raise_exception=True)
def inquiry_article(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = get_inquiry_for_user(request.user, pk)
    return _start_article(request, inquiry, None, reverse("inquiries:detail", args=[inquiry.pk]))


def inquiry_context(user, inquiry: Inquiry) -> dict[str, object]:
    """What the inquiry page shows of its escalations (templates/inquiries/_escalations.html)."""
    escalations = list(inquiry.escalations.select_related("department").order_by("created_at", "pk"))
    return {
        "escalations": escalations,
        "escalation_missing": inquiry.outcome == Outcome.ESCALATED and not escalations,
        "can_escalate": user.has_perm("inquiries.add_escalation") and services.can_escalate(user, inquiry),
        "can_start_article": services.can_start_article(user, None),
        "article_drafts": list(inquiry.article_drafts.select_related("article")),
    }
