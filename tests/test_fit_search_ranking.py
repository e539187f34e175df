import json

import pytest
from django.core.management import CommandError, call_command

from contactcenter.management.commands import fit_search_ranking
from inquiries.models import InquiryArticle
from inquiries.tests.factories import InquiryFactory
from knowledgebase import services
from knowledgebase.models import SearchLog, Status
from knowledgebase.search.query import search_articles
from knowledgebase.search.ranking import DEFAULT_WEIGHTS, ranking_weights
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def publish(external_id, question, answer):
    return services.save_article(
        article=ArticleFactory.build(
            external_id=external_id, question=question, answer=answer, status=Status.PUBLISHED
        )
    )


def test_ranking_weights_are_fitted_offline_on_used_and_opened_answers_and_read_only_when_set(
    tmp_path, search_index, settings, monkeypatch, capsys
):
    bulky = publish("G1", "粗大ごみの出し方", "受付センターに申し込みます。")
    dog = publish("D1", "犬の登録", "区役所で登録します。")
    search_index.sync()
    used = SearchLog.objects.create(
        query="ソファを捨てたい 粗大ごみ", language="ja", channel="operator", result_count=1
    )
    InquiryArticle.objects.create(inquiry=InquiryFactory(), article=bulky, search=used)
    SearchLog.objects.create(
        query="犬を飼い始めた", language="ja", channel="public", result_count=1, opened_article=dog
    )
    monkeypatch.setattr(fit_search_ranking, "MIN_JUDGMENTS", 3)
    with pytest.raises(CommandError, match="Too few"):
        call_command("fit_search_ranking", "--output", str(tmp_path / "w.json"))
    judged = tmp_path / "judged.csv"
    judged.write_text("query,expected,split\n粗大ごみ,G1,tune\n宝くじ,-,tune\n犬,D1,test\n", encoding="utf-8")
    output = tmp_path / "weights.json"
    call_command("fit_search_ranking", "--csv", str(judged), "--output", str(output))
    out = capsys.readouterr().out
    assert "2 judged queries from the logs" in out and "2 from" in out
    assert "before: hit@1" in out and "after:  hit@1" in out
    fitted = json.loads(output.read_text())
    assert set(fitted) == {"closeness", "question_cover", "document_cover", "answer_threshold", "sentence"}

    assert ranking_weights() == DEFAULT_WEIGHTS  # written, not used
    output.write_text(json.dumps({**fitted, "answer_threshold": 5.0}))
    settings.SEARCH_RANKING_WEIGHTS = str(output)
    assert ranking_weights().answer_threshold == 5.0
    assert not search_articles("粗大ごみ").answered  # nothing can pass such a threshold
    output.write_text("{not json")
    assert ranking_weights() == DEFAULT_WEIGHTS  # a broken file never takes search down
