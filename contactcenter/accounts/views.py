from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.success(request, _("You have logged out."))
    response = redirect("accounts:login")
    # Shared office PCs: drop anything the browser kept from the staff pages.
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response
