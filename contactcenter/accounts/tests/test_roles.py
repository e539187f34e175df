import pytest
from django.contrib.auth.models import Group

from contactcenter.accounts.roles import Role


@pytest.mark.django_db
def test_every_role_exists_as_a_group_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.django_db
def test_administrator_manages_users_and_departments_but_is_not_a_superuser(administrator):
    assert administrator.has_perm("accounts.change_user")
    assert administrator.has_perm("accounts.change_department")
    assert not administrator.is_superuser


@pytest.mark.django_db
def test_operator_cannot_manage_users(operator):
    assert not operator.has_perm("accounts.change_user")
    assert not operator.has_perm("accounts.view_user")
    assert operator.has_perm("accounts.view_department")


@pytest.mark.django_db
def test_user_roles_follow_group_membership(operator, supervisor):
    assert operator.roles() == [Role.OPERATOR]
    assert supervisor.has_role(Role.SUPERVISOR)
    assert not supervisor.has_role(Role.OPERATOR)


@pytest.mark.django_db
def test_department_name_follows_the_active_language(department):
    assert department.localized_name("ja") == "環境局ごみ減量推進課"
    assert department.localized_name("en") == "Waste Reduction Division"
    # No Korean name stored: fall back to Japanese rather than show nothing.
    assert department.localized_name("ko") == "環境局ごみ減量推進課"
