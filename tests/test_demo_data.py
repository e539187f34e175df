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
        response = client.post("/accounts/login/", {"username": login.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login.username
        client.post("/accounts/logout/")
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


@pytest.mark.django_db
def test_demo_knowledge_base_covers_what_a_city_contact_centre_is_asked(settings):
    from django.db.models import Count

    from knowledgebase.models import Article, Audience, Category, Status

    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    japanese = Article.objects.filter(language="ja")
    assert japanese.count() >= 150
    assert Category.objects.filter(parent=None).count() >= 12
    assert japanese.values("department").distinct().count() == Department.objects.count()
    by_language = dict(Article.objects.values_list("language").annotate(n=Count("id")))
    assert by_language["en"] >= 30 and by_language["zh-hans"] > 0 and by_language["ko"] > 0
    internal = japanese.filter(audience=Audience.INTERNAL)
    assert internal.exists() and internal.exclude(phone_script="").exists()
    assert japanese.count() >= 1500  # the size of a real city's FAQ (Sapporo: about 1,900)
    assert japanese.filter(status=Status.DRAFT).exists() and japanese.filter(status=Status.REVIEW).exists()
    assert Category.objects.exclude(name_en="").count() == Category.objects.count()


@pytest.mark.django_db
def test_loading_demo_data_again_keeps_what_was_edited_in_the_product(settings):
    from knowledgebase import services
    from knowledgebase.models import Article, IndexLog, Status

    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    edited = Article.objects.published().filter(language="ja").first()
    edited.answer = "運用中に直した回答"
    services.save_article(article=edited, user=None)
    withdrawn = Article.objects.published().exclude(pk=edited.pk).first()
    services.withdraw_article(article=withdrawn, user=None, reason="制度終了")
    department = Department.objects.get(code="gomi")
    department.phone = "011-999-9999"
    department.save()
    versions = dict(Article.objects.values_list("pk", "version"))
    IndexLog.objects.all().delete()

    call_command("load_demo_data", stdout=StringIO())

    assert Article.objects.get(pk=edited.pk).answer == "運用中に直した回答"
    assert Article.objects.get(pk=withdrawn.pk).status == Status.ARCHIVED
    assert Department.objects.get(code="gomi").phone == "011-999-9999"
    assert dict(Article.objects.filter(pk__in=versions).values_list("pk", "version")) == versions
    assert not IndexLog.objects.filter(article_id__in=versions).exists()
