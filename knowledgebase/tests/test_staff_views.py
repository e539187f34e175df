"""The editors' pages under /kb/, through HTTP, for each role."""

import re

import pytest
from django.urls import reverse

from conftest import client_for
from contactcenter.accounts.roles import Role
from contactcenter.accounts.tests.factories import UserFactory
from knowledgebase import services
from knowledgebase.models import Article, Revision, Status, Synonym
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(other_department):
    return services.save_article(
        article=ArticleFactory.build(status=Status.DRAFT, department=other_department)
    )


def test_pages_need_a_login_and_an_editing_role(client, operator, draft):
    pages = [reverse("kb:list"), reverse("kb:create"), reverse("kb:detail", args=[draft.pk])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert client_for(operator).get(url).status_code == 403


def test_an_editor_sees_only_their_departments_qas(department_editor, supervisor, draft, elsewhere):
    editor = client_for(department_editor)
    listing = editor.get(reverse("kb:list")).content.decode()
    assert draft.question in listing and elsewhere.question not in listing
    assert editor.get(reverse("kb:detail", args=[elsewhere.pk])).status_code == 404
    assert editor.get(reverse("kb:edit", args=[elsewhere.pk])).status_code == 404
    assert editor.post(reverse("kb:submit", args=[elsewhere.pk])).status_code == 404
    assert client_for(supervisor).get(reverse("kb:detail", args=[elsewhere.pk])).status_code == 200


def test_an_editor_writes_a_draft_for_their_own_department(department_editor, department):
    response = client_for(department_editor).post(
        reverse("kb:create"),
        {"question": "粗大ごみの出し方", "answer": "受付センターに申し込みます。", "language": "ja"},
    )
    article = Article.objects.get(question="粗大ごみの出し方")
    assert response.status_code == 302 and response["Location"] == reverse("kb:detail", args=[article.pk])
    assert article.status == Status.DRAFT and article.department == department
    assert article.created_by == department_editor


def test_a_form_with_errors_says_so_and_saves_nothing(department_editor):
    response = client_for(department_editor).post(
        reverse("kb:create"), {"question": "", "answer": "", "language": "xx"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"question", "answer", "language"}
    assert not Article.objects.exists()


def test_the_second_editor_is_refused_and_keeps_what_they_typed(
    department_editor, supervisor, draft, department
):
    url = reverse("kb:edit", args=[draft.pk])
    fields = {"question": draft.question, "language": "ja", "audience": "public", "version": draft.version}
    fields["department"] = department.pk
    client_for(supervisor).post(url, {**fields, "answer": "監督者の修正"})
    response = client_for(department_editor).post(url, {**fields, "answer": "担当課の修正"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "担当課の修正" in page  # their text is still in the form
    assert "監督者の修正" in page  # next to the version saved meanwhile
    assert Article.objects.get(pk=draft.pk).answer == "監督者の修正"
    # Having compared, saving the same page again goes through on top of the newer version.
    seen = response.context["form"]["version"].value()
    assert seen == Article.objects.get(pk=draft.pk).version
    client_for(department_editor).post(url, {**fields, "answer": "担当課の修正", "version": seen})
    assert Article.objects.get(pk=draft.pk).answer == "担当課の修正"


def test_editor_submits_supervisor_sends_back_then_publishes(department_editor, supervisor, draft):
    editor, boss = client_for(department_editor), client_for(supervisor)
    editor.post(reverse("kb:submit", args=[draft.pk]), {"note": "確認お願いします"})
    assert Article.objects.get(pk=draft.pk).status == Status.REVIEW
    assert draft.question in boss.get(reverse("kb:review")).content.decode()
    assert editor.post(reverse("kb:publish", args=[draft.pk])).status_code == 403
    assert editor.post(reverse("kb:send_back", args=[draft.pk]), {"comment": "x"}).status_code == 403

    boss.post(reverse("kb:send_back", args=[draft.pk]), {"comment": "料金を追記してください"})
    detail = editor.get(reverse("kb:detail", args=[draft.pk])).content.decode()
    assert "料金を追記してください" in detail
    editor.post(reverse("kb:submit", args=[draft.pk]))
    boss.post(reverse("kb:publish", args=[draft.pk]))
    assert Article.objects.published().filter(pk=draft.pk).exists()


def test_a_refused_step_says_why_and_changes_nothing(supervisor, draft):
    response = client_for(supervisor).post(
        reverse("kb:send_back", args=[draft.pk]), {"comment": ""}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


def test_state_changes_refuse_get(supervisor, draft):
    for name in ("submit", "send_back", "publish", "withdraw"):
        assert client_for(supervisor).get(reverse(f"kb:{name}", args=[draft.pk])).status_code == 405


def test_changing_a_published_qa_shows_a_diff_and_goes_live_only_when_approved(
    department_editor, supervisor, draft
):
    services.publish_article(article=draft, user=supervisor)
    editor, boss = client_for(department_editor), client_for(supervisor)
    response = editor.post(
        reverse("kb:edit", args=[draft.pk]),
        {"question": draft.question, "answer": "区役所または出張所で登録できます。", "version": 1},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Article.objects.get(pk=draft.pk).answer == "区役所で登録できます。"
    editor.post(reverse("kb:submit", args=[draft.pk]))
    detail = boss.get(reverse("kb:detail", args=[draft.pk])).content.decode()
    assert any("出張" in added for added in re.findall("<ins>(.*?)</ins>", detail))
    boss.post(reverse("kb:publish", args=[draft.pk]))
    assert Article.objects.published().get(pk=draft.pk).answer == "区役所または出張所で登録できます。"
    assert not Revision.objects.exists()


def test_withdrawing_needs_a_reason_and_takes_the_qa_off_the_public_faq(supervisor, draft):
    services.publish_article(article=draft, user=supervisor)
    boss = client_for(supervisor)
    boss.post(reverse("kb:withdraw", args=[draft.pk]), {"reason": ""})
    assert Article.objects.published().filter(pk=draft.pk).exists()
    boss.post(reverse("kb:withdraw", args=[draft.pk]), {"reason": "制度が終わりました"})
    assert not Article.objects.published().filter(pk=draft.pk).exists()


def test_list_filters_never_fail_on_odd_input(department_editor, draft):
    editor = client_for(department_editor)
    for params in ({"status": "nonsense"}, {"page": "abc"}, {"page": "99999"}, {"q": "犬"}):
        assert editor.get(reverse("kb:list"), params).status_code == 200
    assert draft.question in editor.get(reverse("kb:list"), {"q": "犬"}).content.decode()
    assert draft.question not in editor.get(reverse("kb:list"), {"q": "猫"}).content.decode()


def test_list_page_query_count_does_not_grow_with_the_number_of_qas(
    department_editor, department, django_assert_max_num_queries
):
    for number in range(30):
        services.save_article(article=ArticleFactory.build(department=department, question=f"質問{number}"))
    editor = client_for(department_editor)
    with django_assert_max_num_queries(12):  # session, user, permissions, filter choices, count, page
        response = editor.get(reverse("kb:list"))
    assert len(response.context["page_obj"]) == 25


def test_history_compares_any_two_versions_and_a_supervisor_restores_one(
    department_editor, supervisor, draft
):
    first = draft.history.get().history_id
    draft.answer = "区役所と出張所で登録できます。"
    services.save_article(article=draft, user=department_editor)
    second = draft.history.latest().history_id
    url = reverse("kb:history", args=[draft.pk])

    editor = client_for(department_editor)
    page = editor.get(url, {"a": first, "b": second}).content.decode()
    assert any("出張" in added for added in re.findall("<ins>(.*?)</ins>", page))
    assert "Restore" not in page and "戻す" not in page  # restoring is the supervisors'
    assert editor.post(reverse("kb:restore", args=[draft.pk]), {"history_id": first}).status_code == 403
    assert editor.get(url, {"a": "x", "b": 99999}).status_code == 200  # bad choices: a message, not a 500

    client_for(supervisor).post(reverse("kb:restore", args=[draft.pk]), {"history_id": first})
    restored = Article.objects.get(pk=draft.pk)
    assert restored.answer == "区役所で登録できます。" and restored.version == 3


def test_the_due_for_review_filter_lists_what_needs_checking(department_editor, department, draft):
    from datetime import timedelta

    from django.utils import timezone

    overdue = ArticleFactory.build(department=department, question="古い手数料の案内", status=Status.DRAFT)
    overdue.next_review = timezone.localdate() - timedelta(days=1)
    services.save_article(article=overdue)
    page = client_for(department_editor).get(reverse("kb:list"), {"due": "on"}).content.decode()
    assert "古い手数料の案内" in page and draft.question not in page


def test_only_supervisors_manage_synonyms(client, operator, department_editor):
    url = reverse("kb:synonyms")
    assert "/accounts/login/" in client.get(url)["Location"]
    for user in (operator, department_editor):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"term": "粗大ごみ", "synonyms": "ソファ"}).status_code == 403


def test_a_synonym_saved_on_the_page_is_used_by_search_at_once(supervisor, search_index):
    from knowledgebase.search.query import search_articles

    article = services.save_article(article=ArticleFactory.build(question="粗大ごみの申込み"))
    search_index.sync()
    assert search_articles("ソファ").hits == []
    response = client_for(supervisor).post(
        reverse("kb:synonyms"), {"term": "粗大ごみ", "synonyms": "ソファ、タンス"}
    )
    assert response.status_code == 302
    assert Synonym.objects.get().synonyms == "ソファ, タンス"
    assert [hit.article for hit in search_articles("ソファ").hits] == [article]


@pytest.mark.parametrize(
    ("term", "synonyms", "field"),
    [
        ("粗大ごみ", " , ", "synonyms"),
        ("の", "ソファ", "term"),
        ("粗大ごみ", "粗大ごみ, ソファ", "synonyms"),
        ("", "", "term"),
    ],
)
def test_a_bad_synonym_is_refused_with_a_reason(supervisor, term, synonyms, field):
    response = client_for(supervisor).post(reverse("kb:synonyms"), {"term": term, "synonyms": synonyms})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Synonym.objects.exists()


def test_synonyms_are_changed_and_deleted_by_post_only(supervisor):
    synonym = Synonym.objects.create(term="転居", synonyms="引っ越し")
    boss = client_for(supervisor)
    boss.post(reverse("kb:synonym_edit", args=[synonym.pk]), {"term": "転居", "synonyms": "引っ越し, 引越し"})
    assert Synonym.objects.get().synonyms == "引っ越し, 引越し"
    assert boss.get(reverse("kb:synonym_delete", args=[synonym.pk])).status_code == 405
    boss.post(reverse("kb:synonym_delete", args=[synonym.pk]))
    assert not Synonym.objects.exists()
    assert boss.get(reverse("kb:synonym_edit", args=[synonym.pk])).status_code == 404


def test_the_staff_home_counts_each_persons_work(department_editor, supervisor, operator, draft, department):
    sent = services.save_article(article=ArticleFactory.build(department=department, status=Status.DRAFT))
    services.submit_for_review(subject=sent, user=department_editor)
    services.send_back(subject=sent, user=supervisor, comment="直してください")
    waiting = services.save_article(article=ArticleFactory.build(department=department, status=Status.DRAFT))
    services.submit_for_review(subject=waiting, user=department_editor)

    def counts(user):
        """The knowledge base's counts (the inquiries app shows its own before them)."""
        work = client_for(user).get("/accounts/").context["work"]
        return [item.count for item in work if item.url.startswith("/kb/")]

    # Drafts, sent back, waiting for review, due for review, flags; supervisors first see what to review.
    assert counts(department_editor) == [2, 1, 1, 0, 0]
    assert counts(supervisor)[0] == 1
    assert counts(operator) == []


def test_the_list_downloads_as_csv_for_excel_without_formulas(
    department_editor, department, draft, elsewhere
):
    import csv
    import io

    services.save_article(
        article=ArticleFactory.build(
            department=department, question='=HYPERLINK("http://evil")', status=Status.DRAFT
        )
    )
    response = client_for(department_editor).get(reverse("kb:export"), {"q": ""})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    questions = [row[2] for row in rows[1:]]
    assert draft.question in questions and elsewhere.question not in questions
    assert '\'=HYPERLINK("http://evil")' in questions
    assert client_for(department_editor).get(reverse("kb:export"), {"status": "bad"}).status_code == 200


def test_a_translation_is_started_from_the_japanese_qa_and_a_stale_one_is_marked(
    client, department_editor, supervisor, draft
):
    editor = client_for(department_editor)
    response = editor.post(reverse("kb:translate", args=[draft.pk]), {"language": "en"})
    translation = Article.objects.get(translation_of=draft)
    assert response["Location"] == reverse("kb:edit", args=[translation.pk])
    assert editor.post(reverse("kb:translate", args=[draft.pk]), {"language": "xx"}).status_code == 302
    assert Article.objects.filter(translation_of=draft).count() == 1

    services.publish_article(article=draft, user=supervisor)
    translation.question, translation.answer = "Dog registration", "At your ward office."
    services.save_article(article=translation, user=department_editor)
    services.publish_article(article=translation, user=supervisor)
    draft.refresh_from_db()
    draft.answer = "区役所または出張所で登録できます。"
    services.save_article(article=draft, user=supervisor)

    stale_list = editor.get(reverse("kb:list"), {"stale": "on"})
    assert [article.pk for article in stale_list.context["page_obj"]] == [translation.pk]
    public = client.get(f"/en/faq/{translation.pk}/").content.decode()
    assert "The Japanese version of this page has been updated" in public
    assert f'href="/faq/{draft.pk}/"' in public


def test_an_operator_flags_a_live_qa_and_its_department_resolves_it(
    client, operator, department_editor, supervisor, draft, elsewhere, other_department
):
    from knowledgebase.models import Flag

    url = reverse("kb:flag", args=[draft.pk])
    assert client_for(operator).post(url, {"reason": "料金が古い"}).status_code == 404  # not live yet
    services.publish_article(article=draft, user=supervisor)
    assert "/accounts/login/" in client.post(url, {"reason": "x"})["Location"]
    assert client_for(department_editor).post(url, {"reason": "x"}).status_code == 403
    response = client_for(operator).post(url, {"reason": "料金が古い", "next": "https://evil.example/"})
    assert response["Location"] == reverse("staff:home")  # never an open redirect
    flag = Flag.objects.get()
    assert (flag.article, flag.raised_by, flag.reason) == (draft, operator, "料金が古い")

    other_editor = client_for(UserFactory(role=Role.DEPARTMENT_EDITOR, department=other_department))
    assert "料金が古い" not in other_editor.get(reverse("kb:flags")).content.decode()
    assert (
        other_editor.post(reverse("kb:flag_resolve", args=[flag.pk]), {"resolution": "x"}).status_code == 404
    )
    editor = client_for(department_editor)
    assert "料金が古い" in editor.get(reverse("kb:flags")).content.decode()
    assert client_for(operator).get(reverse("kb:flags")).status_code == 403
    editor.post(reverse("kb:flag_resolve", args=[flag.pk]), {"resolution": ""})
    assert Flag.objects.get().resolved_at is None
    editor.post(reverse("kb:flag_resolve", args=[flag.pk]), {"resolution": "4月の料金に直しました"})
    flag.refresh_from_db()
    assert flag.resolved_by == department_editor and flag.resolution == "4月の料金に直しました"
    assert "料金が古い" not in editor.get(reverse("kb:flags")).content.decode()


def test_preview_shows_the_public_page_in_the_qas_language_before_it_is_published(
    client, department_editor, supervisor, draft, elsewhere
):
    editor = client_for(department_editor)
    page = editor.get(reverse("kb:preview", args=[draft.pk]))
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    assert draft.question in page.content.decode() and 'lang="ja"' in page.content.decode()
    assert client.get(f"/faq/{draft.pk}/").status_code == 404  # the public still sees nothing
    assert editor.get(reverse("kb:preview", args=[elsewhere.pk])).status_code == 404

    services.publish_article(article=draft, user=supervisor)
    revision = Revision.start(draft)
    revision.answer = "出張所でも登録できます。"
    services.save_revision(revision=revision, user=department_editor)
    with_changes = editor.get(reverse("kb:preview", args=[draft.pk]), {"revision": "1"}).content.decode()
    assert "出張所でも登録できます。" in with_changes
    assert "出張所でも" not in client.get(f"/faq/{draft.pk}/").content.decode()


def test_list_filters_by_department_category_and_audience(supervisor, draft, elsewhere, department):
    boss = client_for(supervisor)
    listed = boss.get(reverse("kb:list"), {"department": department.pk}).context["page_obj"]
    assert [article.pk for article in listed] == [draft.pk]
    listed = boss.get(reverse("kb:list"), {"department": "999999", "q": "犬"}).context["page_obj"]
    assert [article.pk for article in listed] == [draft.pk]  # a bad filter is ignored, the rest apply
    assert boss.get(reverse("kb:list"), {"audience": "internal"}).context["page_obj"].paginator.count == 0


def test_staff_search_finds_internal_qas_logs_the_search_and_a_result_can_be_flagged(
    client, no_role_user, operator, search_index
):
    from knowledgebase.models import Audience, Flag, SearchLog

    internal = services.save_article(
        article=ArticleFactory.build(
            question="住民票の職権消除の手順", audience=Audience.INTERNAL, phone_script="担当課へ転送します。"
        )
    )
    search_index.sync()
    url = reverse("kb:search")
    assert "/accounts/login/" in client.get(url, {"q": "住民票"})["Location"]
    assert client_for(no_role_user).get(url, {"q": "住民票"}).status_code == 403
    staff = client_for(operator)
    page = staff.get(url, {"q": "住民票 090-1234-5678"}).content.decode()
    assert internal.question in page and "担当課へ転送します。" in page
    log = SearchLog.objects.get()
    assert log.channel == SearchLog.Channel.OPERATOR and "1234" not in log.query
    assert staff.get(url, {"q": "", "lang": "xx"}).status_code == 200

    here = f"{url}?q=%E4%BD%8F%E6%B0%91%E7%A5%A8"  # 住民票, as the search page's own link carries it
    response = staff.post(reverse("kb:flag", args=[internal.pk]), {"reason": "手順が変わった", "next": here})
    assert response["Location"] == here
    assert Flag.objects.get().article == internal


def test_the_category_list_is_grouped_by_topic_in_the_set_order(supervisor):
    from knowledgebase.models import Category

    waste = Category.objects.create(name="ごみ・リサイクル", order=2)
    registers = Category.objects.create(name="住民票・戸籍", order=1)
    Category.objects.create(name="粗大ごみ", parent=waste, order=2)
    Category.objects.create(name="家庭ごみ", parent=waste, order=1)
    Category.objects.create(name="住民票の写し", parent=registers, order=1)
    html = client_for(supervisor).get(reverse("kb:create")).content.decode()
    select = html[html.index('name="category"') : html.index("</select>", html.index('name="category"'))]
    groups = [part.split('"', 1)[0] for part in select.split('<optgroup label="')[1:]]
    assert groups == ["住民票・戸籍", "ごみ・リサイクル"]
    waste_group = select.split('<optgroup label="ごみ・リサイクル">')[1]
    assert waste_group.index("家庭ごみ") < waste_group.index("粗大ごみ")


def test_staff_search_shows_the_transfer_number_and_the_answer_without_a_click(
    operator, department, search_index
):
    department.phone = "011-000-2201"
    department.save()
    services.save_article(
        article=ArticleFactory.build(
            question="粗大ごみの収集日を知りたい",
            answer="申込み時にお知らせする収集日の朝8時30分までに出してください。",
            department=department,
            status=Status.PUBLISHED,
        )
    )
    search_index.sync()
    page = client_for(operator).get(reverse("kb:search"), {"q": "粗大ごみ 収集日"}).content.decode()
    assert 'href="tel:011-000-2201"' in page
    answer_at = page.index("申込み時にお知らせする収集日")
    assert "<details" not in page[page.index("粗大ごみの収集日を知りたい") : answer_at]


def test_staff_search_shows_every_hit_and_marks_those_that_do_not_answer(operator, search_index):
    services.save_article(
        article=ArticleFactory.build(
            question="運転免許証で住民票を請求できますか",
            answer="本人確認書類として使えます。",
            status=Status.PUBLISHED,
        )
    )
    search_index.sync()
    staff = client_for(operator)
    page = staff.get(reverse("kb:search"), {"q": "宝くじの当選番号と運転免許"}).content.decode()
    assert "運転免許証で住民票を請求できますか" in page
    assert "status-low-confidence" in page
    page = staff.get(reverse("kb:search"), {"q": "住民票を請求したい 運転免許証"}).content.decode()
    assert "status-low-confidence" not in page
