"""The editorial workflow: drafts, review, send back, publish, withdraw, revisions, history."""

import pytest
from django.http import Http404
from django.utils import translation

from contactcenter.accounts.audit import events_for
from knowledgebase import audit, services
from knowledgebase.access import editable_articles, get_article_for_editor
from knowledgebase.models import Article, IndexLog, Revision, Status
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(draft, supervisor):
    return services.publish_article(article=draft, user=supervisor)


def test_a_draft_goes_to_review_back_to_draft_then_live_with_an_audit_trail(
    draft, department_editor, supervisor
):
    services.submit_for_review(subject=draft, user=department_editor, note="4月の改正を反映")
    assert Article.objects.get(pk=draft.pk).status == Status.REVIEW
    services.send_back(subject=draft, user=supervisor, comment="手数料の金額を書いてください")
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
    services.submit_for_review(subject=draft, user=department_editor)
    services.publish_article(article=draft, user=supervisor)
    assert Article.objects.published().filter(pk=draft.pk).exists()
    trail = [(e.action, e.from_state, e.to_state, e.actor) for e in events_for(draft)]
    assert trail == [
        (audit.PUBLISH, Status.REVIEW, Status.PUBLISHED, supervisor),
        (audit.SUBMIT, Status.DRAFT, Status.REVIEW, department_editor),
        (audit.SEND_BACK, Status.REVIEW, Status.DRAFT, supervisor),
        (audit.SUBMIT, Status.DRAFT, Status.REVIEW, department_editor),
    ]
    assert events_for(draft).filter(action=audit.SEND_BACK).get().note == "手数料の金額を書いてください"


@pytest.mark.parametrize(
    "transition",
    [
        lambda article, user: services.send_back(subject=article, user=user, comment="x"),  # not in review
        lambda article, user: services.withdraw_article(article=article, user=user),  # not published
    ],
)
def test_a_transition_the_state_does_not_allow_is_refused_and_changes_nothing(draft, supervisor, transition):
    with pytest.raises(services.WorkflowError):
        transition(draft, supervisor)
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT
    assert not events_for(draft).exists()


def test_sending_back_needs_a_comment(draft, department_editor, supervisor):
    services.submit_for_review(subject=draft, user=department_editor)
    with translation.override("en"), pytest.raises(services.WorkflowError, match="what needs to change"):
        services.send_back(subject=draft, user=supervisor, comment="  ")
    assert Article.objects.get(pk=draft.pk).status == Status.REVIEW


def test_withdrawing_records_the_reason_and_logs_the_change_for_the_index(published, supervisor):
    IndexLog.objects.all().delete()
    services.withdraw_article(article=published, user=supervisor, reason="制度廃止")
    assert not Article.objects.published().filter(pk=published.pk).exists()
    assert IndexLog.objects.filter(article_id=published.pk).exists()
    assert events_for(published).get(action=audit.WITHDRAW).note == "制度廃止"


def test_the_second_of_two_editors_is_refused_instead_of_overwriting(draft, department_editor, supervisor):
    first = Article.objects.get(pk=draft.pk)
    second = Article.objects.get(pk=draft.pk)
    opened = first.version
    first.answer = "最初の編集"
    services.save_article(article=first, user=department_editor, expected_version=opened)
    second.answer = "二人目の編集"
    with pytest.raises(services.StaleEdit):
        services.save_article(article=second, user=supervisor, expected_version=opened)
    assert Article.objects.get(pk=draft.pk).answer == "最初の編集"


def test_a_revision_of_a_published_qa_stays_unpublished_until_approved(
    published, department_editor, supervisor
):
    revision = Revision.start(published)
    revision.answer = "区役所または出張所で登録できます。"
    services.save_revision(revision=revision, user=department_editor)
    services.submit_for_review(subject=revision, user=department_editor)
    live = Article.objects.published().get(pk=published.pk)
    assert live.answer == "区役所で登録できます。"
    assert revision.changes() == {"answer": ("区役所で登録できます。", "区役所または出張所で登録できます。")}

    services.approve_revision(revision=revision, user=supervisor)
    live = Article.objects.published().get(pk=published.pk)
    assert live.answer == "区役所または出張所で登録できます。"
    assert not Revision.objects.exists()


def test_a_revision_cannot_overwrite_a_qa_that_changed_after_it_was_started(
    published, department_editor, supervisor
):
    revision = Revision.start(published)
    revision.answer = "古い版をもとにした改訂"
    services.save_revision(revision=revision, user=department_editor)
    services.submit_for_review(subject=revision, user=department_editor)
    published.answer = "監督者が直接直した回答"
    services.save_article(article=published, user=supervisor)
    with (
        translation.override("en"),
        pytest.raises(services.WorkflowError, match="changed after these changes were started"),
    ):
        services.approve_revision(revision=Revision.objects.get(pk=revision.pk), user=supervisor)
    assert Article.objects.get(pk=published.pk).answer == "監督者が直接直した回答"


def test_a_stuck_revision_is_brought_up_to_date_by_saving_it_again_then_approved(
    published, department_editor, supervisor
):
    revision = Revision.start(published)
    revision.answer = "区役所または出張所で登録できます。"
    services.save_revision(revision=revision, user=department_editor, seen_live_version=published.version)
    services.submit_for_review(subject=revision, user=department_editor)
    published.question = "犬の登録はどこでできますか（改）"
    services.save_article(article=published, user=supervisor)  # the live text changes underneath
    revision = Revision.objects.get(pk=revision.pk)
    with pytest.raises(services.WorkflowError):
        services.approve_revision(revision=revision, user=supervisor)
    services.send_back(subject=revision, user=supervisor, comment="公開中の質問文が変わりました")

    live = Article.objects.get(pk=published.pk)
    revision = Revision.objects.get(pk=revision.pk)
    revision.question = live.question
    services.save_revision(
        revision=revision,
        user=department_editor,
        expected_version=revision.version,
        seen_live_version=live.version,
    )
    services.submit_for_review(subject=revision, user=department_editor)
    services.approve_revision(revision=Revision.objects.get(pk=revision.pk), user=supervisor)

    live = Article.objects.get(pk=published.pk)
    assert (live.question, live.answer) == (
        "犬の登録はどこでできますか（改）",
        "区役所または出張所で登録できます。",
    )


def test_a_revision_saved_from_a_form_opened_before_the_live_text_changed_is_refused(
    published, department_editor, supervisor
):
    seen = published.version
    published.answer = "監督者が直接直した回答"
    services.save_article(article=published, user=supervisor)
    revision = Revision.start(Article.objects.get(pk=published.pk))
    revision.answer = "古い画面で書いた回答"
    with pytest.raises(services.LiveTextChanged):
        services.save_revision(revision=revision, user=department_editor, seen_live_version=seen)
    assert not Revision.objects.exists()


def test_the_editor_who_started_a_revision_or_a_supervisor_can_discard_it_with_an_audit_event(
    published, department_editor, supervisor, department
):
    from contactcenter.accounts.roles import Role
    from contactcenter.accounts.tests.factories import UserFactory

    colleague = UserFactory(username="colleague", role=Role.DEPARTMENT_EDITOR, department=department)
    revision = Revision.start(published)
    revision.answer = "不要になった改訂"
    services.save_revision(revision=revision, user=department_editor)
    with pytest.raises(services.WorkflowError):
        services.discard_revision(revision=revision, user=colleague)
    services.discard_revision(revision=revision, user=department_editor)
    assert not Revision.objects.exists()
    assert Article.objects.get(pk=published.pk).answer == published.answer
    assert events_for(published).filter(action=audit.DISCARD, actor=department_editor).exists()

    again = Revision.start(published)
    again.answer = "もう一度"
    services.save_revision(revision=again, user=department_editor)
    services.discard_revision(revision=again, user=supervisor)
    assert not Revision.objects.exists()


def test_history_keeps_every_version_with_who_saved_it_and_restore_brings_one_back(
    published, department_editor, supervisor
):
    published.answer = "改訂した回答"
    services.save_article(article=published, user=supervisor)
    versions = list(published.history.order_by("history_date"))
    assert [v.history_user for v in versions] == [department_editor, supervisor, supervisor]
    assert versions[0].answer == "区役所で登録できます。"

    IndexLog.objects.all().delete()
    services.restore_version(article=published, history_id=versions[0].history_id, user=supervisor)
    restored = Article.objects.get(pk=published.pk)
    assert restored.answer == "区役所で登録できます。" and restored.status == Status.PUBLISHED
    assert restored.version == versions[-1].version + 1
    assert IndexLog.objects.filter(article_id=published.pk).exists()
    assert events_for(published).filter(action=audit.RESTORE).exists()


def test_editors_reach_only_their_own_departments_qas(
    draft, department_editor, supervisor, operator, other_department
):
    other = services.save_article(article=ArticleFactory.build(department=other_department))
    assert set(editable_articles(department_editor)) == {draft}
    assert set(editable_articles(supervisor)) >= {draft, other}
    assert not editable_articles(operator).exists()
    assert get_article_for_editor(department_editor, draft.pk) == draft
    for user, pk in [(department_editor, other.pk), (operator, draft.pk)]:
        with pytest.raises(Http404):
            get_article_for_editor(user, pk)


def test_review_dates_default_to_a_year_or_the_coming_march_and_publishing_renews_an_overdue_one(
    department, supervisor, settings
):
    from datetime import date, timedelta

    from django.utils import timezone

    today = timezone.localdate()
    plain = services.save_article(article=ArticleFactory.build(status=Status.DRAFT, department=department))
    assert plain.next_review == today + timedelta(days=365)
    yearly = services.save_article(
        article=ArticleFactory.build(
            status=Status.DRAFT, changes_with_fiscal_year=True, department=department
        )
    )
    assert yearly.next_review.month == 3 and yearly.next_review.day == 1 and yearly.next_review > today

    assert yearly.default_next_review(date(2027, 2, 28)) == date(2027, 3, 1)
    assert yearly.default_next_review(date(2027, 3, 1)) == date(2028, 3, 1)

    plain.next_review = today - timedelta(days=3)
    services.save_article(article=plain)
    assert list(Article.objects.due_for_review(today)) == [plain]
    assert plain.is_due_for_review(today) and not yearly.is_due_for_review(date(2000, 1, 1))
    services.publish_article(article=plain, user=supervisor)
    assert Article.objects.get(pk=plain.pk).next_review == today + timedelta(days=365)
    assert not Article.objects.due_for_review(today).exists()


def test_a_translation_falls_behind_when_the_japanese_text_changes_and_catches_up_when_republished(
    published, department_editor, supervisor
):
    translation = services.start_translation(source=published, language="en", user=department_editor)
    assert services.start_translation(source=published, language="en", user=department_editor) == translation
    assert (translation.language, translation.translation_of, translation.status) == (
        "en",
        published,
        Status.DRAFT,
    )
    translation.question, translation.answer = "Where do I register my dog?", "At your ward office."
    services.save_article(article=translation, user=department_editor)
    services.publish_article(article=translation, user=supervisor)
    assert not Article.objects.get(pk=translation.pk).is_stale_translation()

    services.withdraw_article(article=published, user=supervisor)  # a status change is not a text change
    services.publish_article(article=published, user=supervisor)
    assert not Article.objects.stale_translations().exists()

    revision = Revision.start(published)
    revision.answer = "区役所または出張所で登録できます。"
    services.save_revision(revision=revision, user=department_editor)
    services.submit_for_review(subject=revision, user=department_editor)
    services.approve_revision(revision=revision, user=supervisor)
    stale = Article.objects.get(pk=translation.pk)
    assert stale.is_stale_translation() and list(Article.objects.stale_translations()) == [stale]

    services.withdraw_article(article=stale, user=supervisor)
    stale.answer = "At your ward office or a branch office."
    services.save_article(article=stale, user=supervisor)
    services.publish_article(article=stale, user=supervisor)
    assert not Article.objects.get(pk=translation.pk).is_stale_translation()


def test_translations_are_made_from_the_japanese_qa(published, department_editor):
    translation = services.start_translation(source=published, language="ko", user=department_editor)
    with pytest.raises(services.WorkflowError):
        services.start_translation(source=translation, language="en", user=department_editor)
    with pytest.raises(services.WorkflowError):
        services.start_translation(source=published, language="ja", user=department_editor)
