"""The operator console under /console/: take a call, find the answer, log it."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
@permission_required("inquiries.add_inquiry", raise_exception=True)
def console(request: HttpRequest) -> HttpResponse:
    return render(request, "inquiries/console.html", {})
