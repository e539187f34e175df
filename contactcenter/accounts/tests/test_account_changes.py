"""Administrators change roles and passwords: never their own roles, always audited, the person told."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from conftest import client_for
from contactcenter.accounts.models import AuditEvent, User
from contactcenter.accounts.roles import Role
from contactcenter.accounts.services import PASSWORD_RESET, ROLE_GRANTED, ROLE_REMOVED
from contactcenter.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-new-long-password-for-anna-42"


def _user_form(user: User, *, roles: list[Role]) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "department": "",
        "is_active": "on",
        **({"is_staff": "on"} if user.is_staff else {}),
        "groups": [Group.objects.get(name=role.value).pk for role in roles],
    }


def _change(admin_user: User, user: User, *, roles: list[Role]):
    return client_for(admin_user).post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        _user_form(user, roles=roles),
        headers={"accept-language": "en"},
    )


def test_an_administrator_cannot_change_their_own_roles(administrator):
    response = _change(administrator, administrator, roles=[Role.ADMINISTRATOR, Role.SUPERVISOR])
    assert response.status_code == 200
    assert "You cannot change your own roles. Ask another administrator." in response.content.decode()
    assert administrator.roles() == [Role.ADMINISTRATOR]
    assert not AuditEvent.objects.filter(action=ROLE_GRANTED).exists()


def test_an_administrator_can_still_edit_their_own_name(administrator):
    form = _user_form(administrator, roles=[Role.ADMINISTRATOR]) | {"display_name": "管理 花子"}
    response = client_for(administrator).post(
        reverse("admin:accounts_user_change", args=[administrator.pk]), form
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert administrator.display_name == "管理 花子"


def test_each_role_granted_or_removed_is_audited_and_the_person_told(administrator):
    anna = UserFactory(username="anna", email="anna@city.example.jp", role=Role.OPERATOR)
    response = _change(administrator, anna, roles=[Role.LEADER])
    assert response.status_code == 302
    assert anna.roles() == [Role.LEADER]
    granted = AuditEvent.objects.get(action=ROLE_GRANTED)
    removed = AuditEvent.objects.get(action=ROLE_REMOVED)
    assert (granted.actor, granted.object_id, granted.to_state) == (administrator, str(anna.pk), "leader")
    assert (removed.actor, removed.from_state) == (administrator, "operator")
    assert granted.to_state_label() == str(Role.LEADER.label)
    [message] = mail.outbox
    assert message.to == ["anna@city.example.jp"]
    assert "リーダー" in message.body and "オペレーター" in message.body


def test_saving_without_a_role_change_records_nothing(administrator):
    anna = UserFactory(username="anna", role=Role.OPERATOR)
    _change(administrator, anna, roles=[Role.OPERATOR])
    assert not AuditEvent.objects.filter(action__in=[ROLE_GRANTED, ROLE_REMOVED]).exists()
    assert not mail.outbox


def _reset_password(admin_user: User, user: User):
    return client_for(admin_user).post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )


def test_a_password_reset_is_audited_and_told_without_the_password(administrator):
    anna = UserFactory(username="anna", email="anna@city.example.jp", role=Role.OPERATOR)
    assert _reset_password(administrator, anna).status_code == 302
    event = AuditEvent.objects.get(action=PASSWORD_RESET)
    assert (event.actor, event.object_id) == (administrator, str(anna.pk))
    [message] = mail.outbox
    assert message.to == ["anna@city.example.jp"] and NEW_PASSWORD not in message.body
    anna.refresh_from_db()
    assert anna.must_change_password and anna.check_password(NEW_PASSWORD)


def test_a_reset_password_must_be_changed_at_the_next_sign_in(client, administrator):
    anna = UserFactory(username="anna", role=Role.OPERATOR)
    _reset_password(administrator, anna)
    response = client.post(
        reverse("accounts:login"), {"username": "anna", "password": NEW_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change")
    for url in ["/console/", reverse("staff:home"), "/kb/"]:
        assert client.get(url)["Location"] == reverse("accounts:password_change"), url

    changed = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": NEW_PASSWORD,
            "new_password1": PASSWORD + "-own",
            "new_password2": PASSWORD + "-own",
        },
    )
    assert changed["Location"] == reverse("accounts:password_change_done")
    anna.refresh_from_db()
    assert not anna.must_change_password
    assert client.get("/console/").status_code == 200


def test_a_wrong_old_password_keeps_the_person_on_the_change_page(client):
    anna = UserFactory(username="anna", role=Role.OPERATOR, must_change_password=True)
    client.force_login(anna)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "x-new-password-1", "new_password2": "x-new-password-1"},
    )
    assert response.status_code == 200
    anna.refresh_from_db()
    assert anna.must_change_password
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_an_account_an_administrator_creates_starts_with_a_password_to_change(administrator):
    response = client_for(administrator).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomer2",
            "display_name": "新人",
            "department": "",
            "groups": [Group.objects.get(name=Role.OPERATOR.value).pk],
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newcomer2")
    assert user.must_change_password and user.roles() == [Role.OPERATOR]
    assert AuditEvent.objects.filter(
        action=ROLE_GRANTED, object_id=str(user.pk), to_state="operator"
    ).exists()
