from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contactcenter.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from contactcenter.accounts.models import Department, User
from contactcenter.accounts.roles import Role


@pytest.mark.django_db
def test_demo_data_gives_every_role_a_login_that_works(client, settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    assert {login.role for login in DEMO_LOGINS} == set(Role)
    for login in DEMO_LOGINS:
        assert client.login(username=login.username, password=DEMO_PASSWORD)
        assert User.objects.get(username=login.username).has_role(login.role)


@pytest.mark.django_db
def test_demo_data_can_be_loaded_twice_without_duplicates(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    counts = (User.objects.count(), Department.objects.count())
    call_command("load_demo_data", stdout=StringIO())
    assert (User.objects.count(), Department.objects.count()) == counts
    assert Department.objects.filter(code="gomi", name="環境局ごみ減量推進課").exists()


@pytest.mark.django_db
def test_demo_data_refuses_to_run_on_production_settings(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo_data")
    assert not User.objects.exists()
