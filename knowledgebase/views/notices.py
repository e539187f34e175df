"""Site notices: supervisors post what every public page shows at its top while active."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledgebase import services
from knowledgebase.forms import SiteNoticeForm
from knowledgebase.models import SiteNotice

MANAGE = "knowledgebase.change_sitenotice"


@login_required
@permission_required(MANAGE, raise_exception=True)
def notice_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Current, coming and past notices, with a form to post one or change the one chosen."""
    editing = get_object_or_404(SiteNotice, pk=pk) if pk else None
    form = SiteNoticeForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        services.save_notice(notice=form.save(commit=False), user=request.user)
        messages.success(request, _("Saved. Public pages show it while it is active."))
        return redirect("kb:notices")
    now = timezone.now()
    notices = SiteNotice.objects.select_related("created_by")
    return render(
        request,
        "knowledgebase/staff/notice_list.html",
        {
            "form": form,
            "editing": editing,
            "active": notices.active(now),
            "coming": notices.filter(starts_at__gt=now).order_by("starts_at"),
            "past": notices.filter(ends_at__lte=now).order_by("-ends_at")[:20],
        },
    )


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def notice_end(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(SiteNotice, pk=pk)
    services.end_notice(notice=notice, user=request.user)
    messages.success(request, _("“%(title)s” is no longer shown.") % {"title": notice.title})
    return redirect("kb:notices")
