"""The header menu of staff pages offers each person what their roles let them use."""

import pytest
from django.urls import reverse

from conftest import client_for


def menu_links(response) -> set[str]:
    html = response.content.decode()
    menu = html[html.index('class="staff-nav"') : html.index("</nav>", html.index('class="staff-nav"'))]
    return {part.split('"', 1)[0] for part in menu.split('href="')[1:]}


@pytest.mark.django_db
def test_an_operator_menu_has_search_but_no_editorial_pages(operator):
    links = menu_links(client_for(operator).get(reverse("kb:search")))
    assert reverse("kb:search") in links
    assert reverse("kb:list") not in links and reverse("kb:review") not in links


@pytest.mark.django_db
def test_a_department_editor_menu_has_their_qas_and_flags_but_no_review_queue(department_editor):
    links = menu_links(client_for(department_editor).get(reverse("kb:list")))
    assert {reverse("kb:list"), reverse("kb:flags"), reverse("kb:search")} <= links
    assert reverse("kb:review") not in links and reverse("kb:notices") not in links


@pytest.mark.django_db
def test_a_supervisor_menu_has_review_synonyms_and_notices(supervisor):
    links = menu_links(client_for(supervisor).get(reverse("staff:home")))
    assert {reverse("kb:review"), reverse("kb:synonyms"), reverse("kb:notices")} <= links


@pytest.mark.django_db
def test_the_current_page_is_marked_in_the_menu(supervisor):
    html = client_for(supervisor).get(reverse("kb:review")).content.decode()
    assert f'href="{reverse("kb:review")}" aria-current="page"' in html


@pytest.mark.django_db
def test_the_days_calls_come_first_in_the_menu(operator):
    links = client_for(operator).get(reverse("staff:home")).context["staff_menu"]()
    assert [link.url_name for link in links[:2]] == ["inquiries:console", "inquiries:mine"]
