import pytest

from contactcenter.accounts.tests.factories import PASSWORD
from knowledgebase.models import Article, Status
from tests.browser.conftest import assert_accessible, log_in


@pytest.fixture
def person(browser, live_server):
    """A logged-in browser of its own for each person; closed before the test's data goes."""
    contexts = []

    def logged_in(user):
        context = browser.new_context(locale="ja-JP")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5000)
        log_in(page, live_server, user.username, PASSWORD)
        page.wait_for_url(f"{live_server.url}/accounts/")
        return page

    yield logged_in
    for context in contexts:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_qa_goes_from_a_departments_draft_through_send_back_to_public_search(
    person, live_server, department_editor, supervisor, search_index
):
    editor = person(department_editor)
    editor.goto(f"{live_server.url}/kb/")
    assert_accessible(editor)
    editor.get_by_role("link", name="新しいQ&Aを書く").click()
    editor.get_by_label("質問").fill("犬の鑑札をなくしました。再交付できますか。")
    editor.get_by_label("回答").fill("区役所の保健福祉課で再交付できます。")
    assert_accessible(editor)
    editor.get_by_role("button", name="下書きを保存").click()
    editor.get_by_label("審査する人へのメモ").fill("確認をお願いします")
    editor.get_by_role("button", name="審査に提出").click()
    assert editor.get_by_role("status").inner_text().startswith("審査に提出しました")
    article = Article.objects.get(question__startswith="犬の鑑札")

    boss = person(supervisor)
    boss.goto(f"{live_server.url}/kb/review/")
    assert_accessible(boss)
    boss.get_by_role("link", name="犬の鑑札をなくしました。再交付できますか。").click()
    assert_accessible(boss)
    boss.get_by_label("直してほしい点").fill("手数料を書いてください")
    boss.get_by_role("button", name="差し戻す").click()

    editor.goto(f"{live_server.url}/kb/{article.pk}/")
    assert editor.get_by_text("手数料を書いてください").is_visible()
    editor.get_by_role("link", name="編集").click()
    editor.get_by_label("回答").fill("区役所の保健福祉課で再交付できます。手数料は1,600円です。")
    editor.get_by_role("button", name="下書きを保存").click()
    editor.get_by_role("button", name="審査に提出").click()

    boss.goto(f"{live_server.url}/kb/{article.pk}/")
    boss.get_by_role("button", name="公開", exact=True).click()
    assert boss.get_by_role("status").inner_text().startswith("公開しました")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED

    search_index.sync()  # what run_indexer does within a second
    boss.goto(f"{live_server.url}/search/?q=犬の鑑札 再交付")
    first = boss.get_by_role("listitem").filter(has=boss.get_by_role("heading", level=2)).first
    assert first.get_by_role("link").inner_text() == "犬の鑑札をなくしました。再交付できますか。"
    found = boss.request.get(f"{live_server.url}/api/v1/faq/search?q=犬の鑑札 再交付").json()
    assert found["results"][0]["id"] == article.pk


@pytest.mark.django_db(transaction=True)
def test_synonym_history_and_flag_pages_are_accessible(person, live_server, supervisor):
    from knowledgebase import services
    from knowledgebase.tests.factories import ArticleFactory

    article = services.save_article(
        article=ArticleFactory.build(question="粗大ごみの申込み"), user=supervisor
    )
    boss = person(supervisor)
    boss.goto(f"{live_server.url}/kb/synonyms/")
    boss.get_by_label("用語").fill("粗大ごみ")
    boss.get_by_role("textbox", name="類義語").fill("ソファ、タンス")
    boss.get_by_role("button", name="保存").click()
    assert boss.get_by_role("cell", name="ソファ, タンス").is_visible()
    assert_accessible(boss)
    boss.goto(f"{live_server.url}/kb/{article.pk}/history/")
    assert_accessible(boss)
    services.flag_article(article=article, user=supervisor, reason="料金が古い")
    boss.goto(f"{live_server.url}/kb/flags/")
    assert boss.get_by_text("料金が古い").is_visible()
    assert_accessible(boss)


@pytest.mark.django_db(transaction=True)
def test_an_operator_flags_a_qa_from_the_search_result(person, live_server, operator, search_index):
    from knowledgebase import services
    from knowledgebase.models import Flag
    from knowledgebase.tests.factories import ArticleFactory

    article = services.save_article(
        article=ArticleFactory.build(question="犬の登録の手数料", answer="3,000円です。")
    )
    search_index.sync()
    page = person(operator)
    page.goto(f"{live_server.url}/kb/search/")
    page.get_by_label("Q&Aを検索").fill("犬の登録")
    page.get_by_role("button", name="検索", exact=True).click()
    assert page.get_by_role("heading", name="犬の登録の手数料").is_visible()
    assert_accessible(page)
    page.get_by_text("この Q&A の誤り・古い情報を報告する").click()
    page.get_by_label("誤っている点・古い点").fill("手数料が改定された")
    page.get_by_role("button", name="報告を送る").click()
    assert page.get_by_role("status").first.inner_text().startswith("ありがとうございます")
    assert Flag.objects.get().article == article


@pytest.mark.django_db(transaction=True)
def test_a_revision_overtaken_by_a_change_to_the_live_qa_is_brought_up_to_date_and_approved(
    person, live_server, department, department_editor, supervisor
):
    from knowledgebase import services
    from knowledgebase.tests.factories import ArticleFactory

    article = services.save_article(
        article=ArticleFactory.build(
            department=department,
            status=Status.PUBLISHED,
            question="粗大ごみの申込み方法を教えてください。",
            answer="粗大ごみ受付センターに電話で申し込みます。",
        ),
        user=supervisor,
    )
    editor = person(department_editor)
    editor.goto(f"{live_server.url}/kb/{article.pk}/")
    editor.get_by_role("link", name="公開中の内容を変更").click()
    editor.get_by_label("回答").fill("粗大ごみ受付センターに電話かインターネットで申し込みます。")
    editor.get_by_role("button", name="変更を保存").click()

    # Meanwhile the live Q&A changes underneath (a direct fix, a re-import or a restore).
    live = Article.objects.get(pk=article.pk)
    live.question = "粗大ごみはどのように申し込めばよいですか。"
    services.save_article(article=live, user=supervisor)

    editor.goto(f"{live_server.url}/kb/{article.pk}/")
    assert editor.get_by_text("このままでは承認できません").is_visible()
    assert_accessible(editor)
    editor.get_by_role("link", name="公開中の文章で変わった点").click()
    assert editor.get_by_text("粗大ごみはどのように申し込めばよいですか。").is_visible()
    assert_accessible(editor)
    editor.get_by_role("link", name="変更を最新の公開文に合わせる").click()
    assert editor.get_by_label("質問").input_value() == "粗大ごみの申込み方法を教えてください。"
    editor.get_by_label("質問").fill("粗大ごみはどのように申し込めばよいですか。")
    editor.get_by_role("button", name="変更を保存").click()
    editor.get_by_role("button", name="審査に提出").click()

    boss = person(supervisor)
    boss.goto(f"{live_server.url}/kb/{article.pk}/")
    boss.get_by_role("button", name="変更を承認して公開").click()
    assert boss.get_by_role("status").inner_text().startswith("公開しました")
    live = Article.objects.get(pk=article.pk)
    assert live.question == "粗大ごみはどのように申し込めばよいですか。"
    assert live.answer == "粗大ごみ受付センターに電話かインターネットで申し込みます。"


@pytest.mark.django_db(transaction=True)
def test_the_staff_qa_list_reads_on_a_phone(person, live_server, department, department_editor):
    from knowledgebase import services
    from knowledgebase.tests.factories import ArticleFactory

    for number in range(25):
        services.save_article(
            article=ArticleFactory.build(
                department=department, question=f"粗大ごみの申込み方法について教えてください（{number}）"
            ),
            user=department_editor,
        )
    editor = person(department_editor)
    editor.set_viewport_size({"width": 360, "height": 800})
    editor.goto(f"{live_server.url}/kb/")
    overflow = editor.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    question = editor.get_by_role("link", name="粗大ごみの申込み方法について教えてください（0）")
    assert question.bounding_box()["width"] > 200  # a readable line, not one character a line
    assert editor.evaluate("document.documentElement.scrollHeight") < 25 * 400
    assert_accessible(editor)
