"""What an app offers the staff home and the staff menu: links to its pages and counts of
what is waiting. Each app lists its own (`<app>.work`); the project's glue collects them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class StaffLink:
    title: str | Promise
    description: str | Promise
    url_name: str
    permission: str | None = None
    admin_site: bool = False
    # Shown in the header menu of every staff page (the home lists every link).
    in_menu: bool = True

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def visible_to(self, user) -> bool:
        return (self.permission is None or user.has_perm(self.permission)) and (
            not self.admin_site or user.is_staff
        )


@dataclass(frozen=True)
class WorkCount:
    label: str | Promise
    count: int
    url: str


def visible_links(links: list[StaffLink], user) -> list[StaffLink]:
    return [link for link in links if link.visible_to(user)]
