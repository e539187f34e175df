"""Flags from the front line: operators report a Q&A as wrong or outdated; its department resolves it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledgebase import services
from knowledgebase.access import get_article_to_flag, get_flag_for_resolver, open_flags
from knowledgebase.forms import FlagForm, ResolveFlagForm


@require_POST
@login_required
@permission_required("knowledgebase.add_flag", raise_exception=True)
def article_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """From a search result: report that a Q&A is wrong or outdated, then back where one was."""
    article = get_article_to_flag(request.user, pk)
    form = FlagForm(request.POST)
    target = form.data.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("staff:home")
    if not form.is_valid():
        messages.error(request, _("Say in a line what is wrong."))
        return redirect(target)
    services.flag_article(article=article, user=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Thank you. The department in charge will check it."))
    return redirect(target)


@login_required
@permission_required("knowledgebase.change_flag", raise_exception=True)
def flag_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledgebase/staff/flag_list.html",
        {"flags": open_flags(request.user).order_by("raised_at"), "form": ResolveFlagForm()},
    )


@require_POST
@login_required
@permission_required("knowledgebase.change_flag", raise_exception=True)
def flag_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_flag_for_resolver(request.user, pk)
    form = ResolveFlagForm(request.POST)
    if form.is_valid():
        services.resolve_flag(flag=flag, user=request.user, resolution=form.cleaned_data["resolution"])
        messages.success(request, _("Marked as resolved."))
    else:
        messages.error(request, _("Say what was done about it."))
    return redirect("kb:flags")
