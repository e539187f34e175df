"""What the staff home offers each person: only pages that exist and that they may use."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contactcenter.accounts.models import User


@dataclass(frozen=True)
class HomeLink:
    title: str | Promise
    description: str | Promise
    url_name: str
    permission: str | None = None
    admin_site: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


HOME_LINKS: list[HomeLink] = [
    HomeLink(
        _("Search the Q&As"),
        _("Every live Q&A, internal ones and phone scripts included; report one that is wrong."),
        "kb:search",
        permission="knowledgebase.view_article",
    ),
    HomeLink(
        _("Q&As"),
        _("Write and update your Q&As, submit them for review, see what was sent back."),
        "kb:list",
        permission="knowledgebase.change_article",
    ),
    HomeLink(
        _("Review queue"),
        _("Q&As and changes waiting for review: publish them or send them back."),
        "kb:review",
        permission="knowledgebase.publish_article",
    ),
    HomeLink(
        _("Flags from the front line"),
        _("Q&As operators reported as wrong or outdated: fix them and say what was done."),
        "kb:flags",
        permission="knowledgebase.change_flag",
    ),
    HomeLink(
        _("Synonyms"),
        _("Words citizens use for the city's terms: search finds both, at once."),
        "kb:synonyms",
        permission="knowledgebase.change_synonym",
    ),
    HomeLink(
        _("Site notices"),
        _("Post a notice on every public page: a disaster, an outage, holiday hours."),
        "kb:notices",
        permission="knowledgebase.change_sitenotice",
    ),
    HomeLink(
        _("Users and roles"),
        _("Create staff accounts, assign roles and departments, deactivate leavers."),
        "admin:accounts_user_changelist",
        permission="accounts.change_user",
        admin_site=True,
    ),
    HomeLink(
        _("Departments"),
        _("Keep the list of city departments, their phone numbers and e-mail addresses up to date."),
        "admin:accounts_department_changelist",
        permission="accounts.change_department",
        admin_site=True,
    ),
    HomeLink(
        _("Change your password"),
        _("Choose a new password for your account."),
        "accounts:password_change",
    ),
]


def links_for(user: User) -> list[HomeLink]:
    return [
        link
        for link in HOME_LINKS
        if (link.permission is None or user.has_perm(link.permission))
        and (not link.admin_site or user.is_staff)
    ]
