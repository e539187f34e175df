import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from conftest import client_for
from contactcenter.accounts.tests.factories import PASSWORD

HOME = reverse("staff:home")
LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
PASSWORD_CHANGE = reverse("accounts:password_change")


@pytest.mark.django_db
@pytest.mark.parametrize("url", [HOME, PASSWORD_CHANGE])
def test_anonymous_visitor_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["operator", "leader", "supervisor", "department_editor", "administrator"]
)
def test_every_role_reaches_the_staff_home(request, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(HOME)
    assert response.status_code == 200
    assert user.display_name in response.content.decode()


@pytest.mark.django_db
def test_staff_home_offers_user_management_only_to_administrators(operator, administrator):
    users_url = reverse("admin:accounts_user_changelist")
    assert users_url not in client_for(operator).get(HOME).content.decode()
    assert users_url in client_for(administrator).get(HOME).content.decode()


@pytest.mark.django_db
def test_staff_home_tells_a_user_without_role_to_ask_for_one(no_role_user):
    response = client_for(no_role_user).get(HOME, headers={"accept-language": "en"})
    assert "No role yet" in response.content.decode()


@pytest.mark.django_db
def test_login_with_correct_password_opens_the_staff_home(operator):
    client = Client()
    response = client.post(LOGIN, {"username": "operator", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME


@pytest.mark.django_db
def test_login_gives_the_same_answer_for_unknown_user_and_wrong_password(operator):
    wrong_password = Client().post(LOGIN, {"username": "operator", "password": "nope"})
    unknown_user = Client().post(LOGIN, {"username": "nobody", "password": "nope"})
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.context["form"].errors == unknown_user.context["form"].errors


@pytest.mark.django_db
def test_login_issues_a_new_session_id(operator):
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    client.post(LOGIN, {"username": "operator", "password": PASSWORD})
    assert client.session.session_key != before


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_the_session(operator):
    client = client_for(operator)
    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert "cache" in response["Clear-Site-Data"]
    assert SESSION_KEY not in client.session
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_logout_needs_a_csrf_token(operator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    assert client.post(LOGOUT).status_code == 403


@pytest.mark.django_db
def test_password_change_logs_out_other_sessions(operator):
    here, elsewhere = client_for(operator), client_for(operator)
    response = here.post(
        PASSWORD_CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert here.get(HOME).status_code == 200
    assert elsewhere.get(HOME).status_code == 302


@pytest.mark.django_db
def test_password_change_rejects_a_common_password_with_a_message(operator):
    response = client_for(operator).post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["operator", "leader", "supervisor", "department_editor"])
def test_only_the_administrator_reaches_user_administration(request, persona, administrator):
    url = reverse("admin:accounts_user_changelist")
    denied = client_for(request.getfixturevalue(persona)).get(url)
    assert denied.status_code == 302  # the admin site sends non-staff to its login
    assert client_for(administrator).get(url).status_code == 200


@pytest.mark.django_db
def test_administrator_cannot_make_anyone_a_superuser(administrator, operator):
    response = client_for(administrator).get(reverse("admin:accounts_user_change", args=[operator.pk]))
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()
    assert 'name="user_permissions"' not in response.content.decode()


def test_only_the_administrator_reads_the_audit_log_and_nobody_edits_it(administrator, supervisor, client):
    from contactcenter.accounts.audit import record_event

    record_event(actor=supervisor, action="publish", target=supervisor, note="公開")
    assert client.get("/admin/accounts/auditevent/").status_code == 302
    assert client_for(supervisor).get("/admin/accounts/auditevent/").status_code == 302  # not staff
    admin = client_for(administrator)
    assert admin.get("/admin/accounts/auditevent/").status_code == 200
    event = admin.get("/admin/accounts/auditevent/").context["cl"].result_list[0]
    assert admin.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
