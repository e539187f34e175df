import threading

import pytest
from whoosh.query import Term
from whoosh.searching import Searcher

from knowledgebase import services
from knowledgebase.models import Audience, IndexLog, Status, Synonym
from knowledgebase.search.analysis import japanese_words
from knowledgebase.search.backend import backend
from knowledgebase.search.indexer import rebuild
from knowledgebase.search.masking import mask_personal_data
from knowledgebase.search.plan import query_terms
from knowledgebase.search.query import search_articles
from knowledgebase.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def publish(**fields):
    article = ArticleFactory.build(status=Status.PUBLISHED, **fields)
    return services.save_article(article=article)


def found(query, **kwargs):
    return [hit.article.pk for hit in search_articles(query, **kwargs).hits]


def test_colloquial_japanese_finds_the_right_answer_first(search_index):
    bulky = publish(
        question="粗大ごみの出し方を教えてください。", answer="粗大ごみ受付センターに申し込んでください。"
    )
    publish(question="燃やせるごみの収集日はいつですか。", answer="地域ごとに週2回です。")
    search_index.sync()
    assert found("粗大ゴミを出したいんですけど")[0] == bulky.pk
    assert found("粗大ｺﾞﾐ")[0] == bulky.pk  # half-width katakana


def test_two_character_words_are_found(search_index):
    article = publish(question="燃えるゴミは月曜と木曜に出せますか。")
    search_index.sync()
    for query in ["ゴミ", "月曜", "燃える", "燃えるゴミ"]:
        assert found(query) == [article.pk], query


def test_other_phrasings_are_searched_like_the_question(search_index):
    article = publish(question="転出届について", other_phrasings="市外に引っ越すときの届け出")
    search_index.sync()
    assert found("引っ越すときの届け出") == [article.pk]


def test_unpublished_and_internal_articles_never_reach_public_search(search_index):
    token = "ゆうびんきょく"
    for status in (Status.DRAFT, Status.REVIEW, Status.ARCHIVED):
        services.save_article(article=ArticleFactory.build(status=status, question=f"{token}の手続き"))
    internal = publish(question=f"{token}の内部手順", audience=Audience.INTERNAL)
    search_index.sync()
    assert found(token) == []
    assert found(token, include_internal=True) == [internal.pk]


def test_withdrawn_article_disappears_at_once_before_the_index_catches_up(search_index):
    article = publish(question="犬の登録の方法")
    search_index.sync()
    assert found("犬の登録") == [article.pk]
    services.withdraw_article(article=article)  # the indexer has not run
    results = search_articles("犬の登録")
    assert results.hits == [] and results.total == 0


def test_change_is_searchable_after_the_indexer_applied_the_log(search_index):
    article = publish(question="図書館の開館時間")
    search_index.sync()
    article.question = "区民センターの予約方法"
    services.save_article(article=article)
    assert search_index.sync() == 1
    assert found("区民センター") == [article.pk]
    assert found("図書館") == []


def test_a_log_row_that_commits_after_a_higher_one_is_not_skipped(search_index):
    early = publish(question="児童手当の申請")
    late = publish(question="保育所の入所申込み")
    # The row for `late` got its id first but committed after the indexer had passed it.
    IndexLog.objects.filter(article_id=late.pk).update(id=0)
    search_index.sync()
    assert found("児童手当") == [early.pk]
    assert found("保育所") == [late.pk]


def test_reconcile_heals_an_index_that_drifted(search_index):
    article = publish(question="水道の使用開始")
    IndexLog.objects.all().delete()  # lost, as if pruned before this host saw it
    assert found("水道") == []
    assert search_index.reconcile() == 1
    assert found("水道") == [article.pk]


def test_staff_synonyms_apply_at_once_without_reindexing(search_index):
    article = publish(question="粗大ごみの申込み")
    search_index.sync()
    assert found("ソファ") == []
    Synonym.objects.create(term="粗大ごみ", synonyms="ソファ, タンス")
    assert found("ソファを捨てたい") == [article.pk]


def test_a_synonym_of_a_compound_applies_only_when_the_whole_compound_is_asked(search_index):
    sofa = publish(question="ソファの捨て方", answer="ソファは受付センターへ申し込みます。")
    search_index.sync()
    Synonym.objects.create(term="粗大ごみ", synonyms="ソファ")
    assert found("粗大ごみを出したい") == [sofa.pk]
    assert found("ごみ") == []


def test_a_query_typed_in_hiragana_finds_the_words_written_in_kanji(search_index):
    resident = publish(question="住民票の写しの取り方", answer="区役所の窓口で請求できます。")
    seal = publish(question="印鑑登録の手続き", answer="実印にする印鑑を登録します。")
    nursery = publish(question="保育園の入園申込み", answer="入園の申込みは毎年秋に受け付けます。")
    publish(question="市民税の納め方", answer="納付書で納めます。")
    search_index.sync()
    assert found("じゅうみんひょう")[0] == resident.pk
    assert found("いんかんとうろくしたい")[0] == seal.pk
    assert found("ほいくえんにはいりたい")[0] == nursery.pk


def test_the_verb_ending_after_a_kanji_word_is_not_respelt_as_nouns(search_index):
    householder = publish(question="世帯主の変更", answer="区役所に世帯主変更届を出します。")
    publish(question="自衛隊の募集", answer="自衛隊地方協力本部が受け付けます。")
    search_index.sync()
    # 〜かえたいんだけど read from its second kana would be え + たい (隊) + …
    assert found("世帯主かえたいんだけど") == [householder.pk]


def test_colloquial_endings_after_any_word_are_not_respelt_as_nouns(search_index):
    toilet = publish(question="トイレが詰まったときの修理", answer="指定工事店に修理を依頼してください。")
    fever = publish(
        question="コロナの症状があるときの相談先", answer="発熱外来のある医療機関に相談してください。"
    )
    publish(question="妻と茶道教室に通いたい", answer="公民館の茶道教室は妻や夫と一緒に申し込めます。")
    publish(question="公園の池の管理", answer="池の清掃は公園管理事務所が行います。池の水は毎年替えます。")
    search_index.sync()
    # Read as nouns, つまっちゃった was 妻 + 茶 and っぽいけど held 池 (いけ).
    assert found("トイレつまっちゃった")[0] == toilet.pk
    assert found("コロナっぽいけど")[0] == fever.pk
    assert search_articles("トイレつまっちゃった", answers_only=True).answered
    # A word in kana before the ending is still respelt.
    assert found("じゅうみんひょうなくしちゃった") == []


def test_a_wrong_kanji_for_the_right_sound_still_finds_the_answer(search_index):
    shelter = publish(question="避難所の場所", answer="指定避難所は小学校です。")
    renewal = publish(question="マイナンバーカードの更新", answer="有効期限の3か月前から更新できます。")
    search_index.sync()
    assert found("非難所 どこ")[0] == shelter.pk  # 非難 (blame) typed for 避難 (evacuation)
    assert found("カード 後進")[0] == renewal.pk  # 後進 typed for 更新


def test_a_slip_of_one_kanji_in_a_compound_still_finds_the_answer(search_index):
    seal = publish(question="印鑑登録の手続き", answer="本人が実印を持って区役所で登録します。")
    care = publish(question="介護保険料の納め方", answer="年金から差し引かれます。")
    publish(question="印鑑を紛失したとき", answer="印鑑を紛失したときは印鑑の廃止を届けます。")
    publish(question="国民健康保険料の納め方", answer="納付書や口座振替で納めます。")
    search_index.sync()
    # Sudachi splits a compound it does not know into single kanji: 登 緑, 介 後.
    assert found("印鑑登緑したい")[0] == seal.pk  # 緑 looks like 録
    assert found("介後保険料")[0] == care.pk  # 後 reads ご like 護
    assert search_articles("印鑑登緑したい", answers_only=True).answered


def test_a_misspelt_loanword_still_finds_the_answer(search_index):
    hazard = publish(question="ハザードマップの入手方法", answer="区役所で配布しています。")
    publish(question="自転車の駐輪場", answer="駅前にあります。")
    search_index.sync()
    assert found("ハザードマプ ほしい") == [hazard.pk]


def test_words_close_in_meaning_find_an_answer_that_uses_neither(search_index):
    marriage = publish(question="婚姻届の出し方", answer="本籍地または住所地の区役所に出します。")
    baby = publish(question="乳児健診の日程", answer="生後4か月の乳児を対象に行います。")
    publish(question="粗大ごみの出し方", answer="受付センターに申し込みます。")
    search_index.sync()
    assert found("結婚した")[:1] == [marriage.pk]
    assert found("赤ちゃんの健診")[:1] == [baby.pk]


def test_the_same_words_as_the_question_rank_above_a_passing_mention(search_index):
    passing = publish(question="転出の手続き", answer="転出届のほか、児童手当の手続きもお忘れなく。")
    allowance = publish(question="児童手当の申請", answer="出生や転入から15日以内に申請してください。")
    search_index.sync()
    assert found("児童手当 申請したい")[:2] == [allowance.pk, passing.pk]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "(",
        ")",
        "AND OR NOT",
        "*",
        "foo:",
        "[a TO",
        '~{}"!]',
        "\x00\x01",
        "😀" * 50,
        "あ" * 10_000,
        " ",
        "",
    ],
)
def test_any_user_input_returns_results_or_an_empty_list(search_index, query):
    publish(question="住民票の写しの取り方")
    search_index.sync()
    results = search_articles(query)
    assert results.total >= 0
    assert len(results.query) <= 200


def test_without_an_index_search_falls_back_to_the_database(no_search_index):
    article = publish(question="住民票の写しの取り方")
    results = search_articles("住民票")
    assert results.fallback
    assert [hit.article.pk for hit in results.hits] == [article.pk]


def test_queries_keep_answering_while_the_index_is_rebuilt(search_index):
    article = publish(question="マイナンバーカードの受け取り")
    search_index.sync()
    answers, stop = [], threading.Event()
    query = Term("ja_question", japanese_words("マイナンバー")[0])

    def keep_searching():
        # Index only: in-memory SQLite cannot be shared with a second thread.
        while not stop.is_set():
            searcher = Searcher(backend().reader(), closereader=False)
            answers.append([int(hit["django_id"]) for hit in searcher.search(query)])

    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        for _ in range(3):
            rebuild()
    finally:
        stop.set()
        thread.join()
    assert answers and all(answer == [article.pk] for answer in answers)


def test_snippet_highlights_matches_and_escapes_everything(search_index):
    publish(question="ごみの分別", answer="分別<script>alert(1)</script>燃やせるごみは月曜に出してください。")
    search_index.sync()
    snippet = search_articles("燃やせるごみ").hits[0].snippet
    assert "<script>" not in snippet and "&lt;/script&gt;" in snippet
    assert "<mark>ごみ</mark>" in snippet


def test_search_log_masks_phone_numbers_my_number_and_email():
    assert mask_personal_data("090-1234-5678 の件") == "########### の件"
    assert mask_personal_data("１２３４ ５６７８ ９０１２") == "############"
    assert mask_personal_data("taro@example.jp に連絡") == "[email] に連絡"
    assert mask_personal_data("ごみ 3日") == "ごみ 3日"


def test_word_vectors_are_looked_up_by_the_hash_spacy_stored_them_under():
    from spacy.strings import hash_string

    from knowledgebase.search.vectors import murmurhash64a, word_vectors

    for word in ["", "a", "ごみ", "住民票", "マイナンバーカード", "x" * 17]:
        assert murmurhash64a(word.encode("utf-8")) == hash_string(word)
    assert word_vectors().row("住民票") is not None


def test_the_indexer_rebuilds_an_index_built_by_an_older_version(search_index):
    from django.core.management import call_command

    article = publish(question="犬の登録")
    backend().ensure_current()
    generation = backend().generation
    generation.save_position({**generation.position(), "schema": 1})
    call_command("run_indexer", "--once")
    live = backend()
    live.ensure_current()
    assert live.generation.name != generation.name
    assert found("犬") == [article.pk]


def test_search_log_rows_older_than_the_retention_period_are_purged(settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from knowledgebase.models import SearchLog

    settings.SEARCH_LOG_RETENTION_DAYS = 30
    old = services.log_search(query="古い", language="ja", channel="public", result_count=1)
    SearchLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = services.log_search(query="新しい", language="ja", channel="public", result_count=1)
    call_command("purge_search_log")
    assert list(SearchLog.objects.all()) == [recent]


def test_vectorised_scoring_gives_whoosh_bm25f_scores_across_segments_and_deletions(search_index):
    from whoosh.query import Or

    from knowledgebase.search.query import WEIGHTING, Searcher
    from knowledgebase.search.scoring import Clause, bm25f_scores

    articles = [
        publish(question=f"ごみの出し方 その{n}", answer="燃やせるごみは月曜日です。" * n)
        for n in range(1, 6)
    ]
    search_index.sync()  # one segment
    articles[0].answer = "ごみ ごみ ごみ"
    services.save_article(article=articles[0])  # its old document is now deleted in the first segment
    publish(question="粗大ごみの申込み", answer="受付センターへ")
    search_index.sync()  # a second segment
    reader = backend().reader()
    assert len(list(reader.leaf_readers())) == 2 and reader.has_deletions()
    clauses = [
        Clause("ja_question", "ごみ", 1.0),
        Clause("ja_answer", "ごみ", 0.6),
        Clause("ja_answer", "月曜", 0.3),
    ]
    searcher = Searcher(reader, weighting=WEIGHTING, closereader=False)
    expected = {
        hit.docnum: hit.score
        for hit in searcher.search(
            Or([Term(c.field, c.word, boost=c.boost) for c in clauses]), limit=None, optimize=False
        )
    }
    scores = bm25f_scores(searcher, clauses, B=0.9, K1=1.6)
    live = {docnum: float(scores[docnum]) for docnum in reader.all_doc_ids() if scores[docnum] > 0}
    assert live.keys() == expected.keys()
    for docnum, score in expected.items():
        assert live[docnum] == pytest.approx(score, rel=1e-4)


def test_frequent_small_commits_leave_few_segments_and_reconcile_optimises(search_index, monkeypatch):
    from knowledgebase.search import indexer

    monkeypatch.setattr(indexer, "OPTIMIZE_WHEN_SEGMENTS", 3)
    articles = []
    for number in range(12):
        articles.append(publish(question=f"水道の手続き{number}"))
        search_index.sync()  # one commit per change, as under a busy editor
    reader = backend().reader()
    assert len(list(reader.leaf_readers())) < indexer.MERGE_WHEN_SMALL_SEGMENTS + 1
    search_index.reconcile()
    assert len(list(backend().reader().leaf_readers())) == 1
    assert sorted(found("水道", limit=20)) == sorted(article.pk for article in articles)


def test_the_qa_naming_the_asked_condition_beats_its_siblings(search_index):
    answer = "区役所の窓口で再交付を申請してください。本人確認書類をお持ちください。"
    plain = publish(question="マイナンバーカードをなくしたときは", answer=answer)
    abroad = publish(question="海外でマイナンバーカードをなくしたときは", answer=answer)
    moved = publish(question="引っ越した後にマイナンバーカードをなくしたときは", answer=answer)
    publish(question="住民票の写しの取り方", answer="区役所の窓口で請求できます。")
    search_index.sync()
    assert found("海外旅行中にマイナンバーカードなくした")[0] == abroad.pk
    assert found("引っ越ししたらマイナンバーカードをなくしました")[0] == moved.pk
    assert found("マイナンバーカードなくした")[0] == plain.pk


def test_a_question_the_qas_do_not_cover_is_not_answered_but_staff_still_see_the_hits(search_index):
    publish(question="運転免許証で住民票を請求できますか", answer="本人確認書類として使えます。")
    publish(question="粗大ごみの出し方", answer="受付センターに申し込みます。")
    search_index.sync()
    public = search_articles("宝くじの当選番号と運転免許", answers_only=True)
    assert not public.answered and public.total == 0
    assert len(public.hits) <= 3 and not any(hit.confident for hit in public.hits)
    staff = search_articles("宝くじの当選番号と運転免許", include_internal=True)
    assert staff.hits and not staff.answered and not staff.hits[0].confident
    answered = search_articles("粗大ごみを出したい", answers_only=True)
    assert answered.answered and answered.total == len(answered.hits) == 1
    assert answered.hits[0].confident


def test_a_politely_worded_question_searches_the_same_words_as_a_plain_one():
    # お尋ね, 存じます, ご教示 are in almost no Q&A: kept, they would count as the query's
    # rarest words, lacking from every hit, and the question would be told "no answer".
    plain = query_terms("世帯分離の手続き 費用 いくら", "ja")
    for polite in [
        "世帯分離の手続きについてお尋ねしたいと存じます。費用はいくらでしょうか",
        "世帯分離の手続きについてご教示いただけますか。費用はいくらかお伺いいたします",
    ]:
        assert query_terms(polite, "ja") == plain, polite
