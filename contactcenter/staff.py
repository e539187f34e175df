"""The staff home and the staff menu, collected from every app's `work` module."""

from __future__ import annotations

from types import ModuleType

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

import inquiries.work
import knowledgebase.work
import reports.work
from contactcenter.accounts import work as accounts_work
from contactcenter.accounts.models import User
from contactcenter.lib.staff_home import StaffLink, WorkCount

# In the order the home and the menu show them: the day's work first, administration last.
STAFF_APPS: list[ModuleType] = [inquiries.work, knowledgebase.work, reports.work, accounts_work]


def links_for(user: User) -> list[StaffLink]:
    return [link for app in STAFF_APPS for link in app.links_for(user)]


def work_for(user: User) -> list[WorkCount]:
    return [count for app in STAFF_APPS for count in app.work_for(user)]


def menu_for(user: User) -> list[StaffLink]:
    return [link for link in links_for(user) if link.in_menu]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The staff home: who you are and what you can do here today."""
    return render(
        request,
        "accounts/home.html",
        {"roles": request.user.roles(), "links": links_for(request.user), "work": work_for(request.user)},
    )
