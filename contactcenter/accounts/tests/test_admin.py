"""The admin in the administrator's language: role names and permissions."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from conftest import japanese_page, visible_text
from contactcenter.accounts.roles import Role

pytestmark = pytest.mark.django_db

ROLE_NAMES_JA = ["オペレーター", "リーダー", "スーパーバイザー", "所管課編集者", "システム管理者"]


def test_the_role_names_in_the_admin_are_japanese_while_the_groups_keep_their_codes(
    administrator, department_editor
):
    editor_group = Group.objects.get(name="department_editor")
    pages = [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[department_editor.pk]),
        reverse("admin:accounts_user_add"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_change", args=[editor_group.pk]),
        reverse("admin:auth_group_history", args=[editor_group.pk]),
    ]
    for url in pages:
        assert "department_editor" not in visible_text(japanese_page(administrator, url)), url

    user_form = japanese_page(
        administrator, reverse("admin:accounts_user_change", args=[department_editor.pk])
    )
    groups = re.search(r'<select name="groups".*?</select>', user_form, re.S).group()
    # Listed by the Group's name, the code: administrator, department_editor, leader, …
    assert re.findall(r">([^<]+)</option>", groups) == [
        "システム管理者",
        "所管課編集者",
        "リーダー",
        "オペレーター",
        "スーパーバイザー",
    ]
    users = japanese_page(administrator, reverse("admin:accounts_user_changelist"))
    assert set(re.findall(r'\?groups__id__exact=\d+"[^>]*>([^<]+)<', users)) == set(ROLE_NAMES_JA)
    roles = japanese_page(administrator, reverse("admin:auth_group_changelist"))
    assert set(re.findall(r'<th class="field-__str__"><a [^>]+>([^<]+)</a>', roles)) == set(ROLE_NAMES_JA)
    view = japanese_page(administrator, reverse("admin:auth_group_change", args=[editor_group.pk]))
    assert "<title>所管課編集者 | " in view
    assert Group.objects.filter(name="department_editor").exists()


def test_a_roles_permissions_read_in_japanese(administrator):
    supervisors = Group.objects.get(name=Role.SUPERVISOR.value)
    text = visible_text(
        japanese_page(administrator, reverse("admin:auth_group_change", args=[supervisors.pk]))
    )
    assert "所管課編集者" not in text and "スーパーバイザー" in text
    assert "Q&Aを表示できる" in text and "部署を表示できる" in text
    assert "Q&A | Q&Aの公開・差し戻し・公開終了ができる" in text
    assert "Can " not in text
