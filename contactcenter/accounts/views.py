from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contactcenter.accounts.home import links_for
from knowledgebase.work import work_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home: who you are and what you can do here today."""
    return render(
        request,
        "accounts/home.html",
        {"roles": request.user.roles(), "links": links_for(request.user), "work": work_for(request.user)},
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.success(request, _("You have logged out."))
    response = redirect("accounts:login")
    # Shared office PCs: drop anything the browser kept from the staff pages.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response
