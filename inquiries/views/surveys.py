"""Survey periods (/console/surveys/): days on which operators ask callers for a score.

Everyone who takes calls sees the list (the console also says when a survey is running);
supervisors add, change and delete periods.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inquiries import services
from inquiries.forms_edit import SurveyPeriodForm
from inquiries.models import SurveyPeriod

EDIT_PERMISSIONS = ["inquiries.add_surveyperiod", "inquiries.change_surveyperiod"]


@login_required
@permission_required("inquiries.view_surveyperiod", raise_exception=True)
def survey_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The periods, newest first, with a form to add one or change the one chosen (pk)."""
    can_edit = request.user.has_perms(EDIT_PERMISSIONS)
    if (pk is not None or request.method == "POST") and not can_edit:
        raise PermissionDenied
    editing = get_object_or_404(SurveyPeriod, pk=pk) if pk else None
    form = SurveyPeriodForm(request.POST or None, instance=editing) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.save_survey_period(period=form.save(commit=False), user=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("inquiries:surveys")
    return render(
        request,
        "inquiries/survey_list.html",
        {
            "form": form,
            "editing": editing,
            "periods": SurveyPeriod.objects.all(),
            "can_edit": can_edit,
            "can_delete": request.user.has_perm("inquiries.delete_surveyperiod"),
        },
    )


@require_POST
@login_required
@permission_required("inquiries.delete_surveyperiod", raise_exception=True)
def survey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(SurveyPeriod, pk=pk)
    period.delete()
    messages.success(
        request, _("Deleted “%(name)s”. Scores already given stay with their inquiries.") % {"name": period}
    )
    return redirect("inquiries:surveys")
