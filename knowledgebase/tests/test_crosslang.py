"""English, Chinese and Korean searches find the Q&As that exist only in Japanese (issue 17)."""

import pytest

from knowledgebase import services
from knowledgebase.models import Audience, Status
from knowledgebase.search.backend import backend
from knowledgebase.search.crosslang import (
    english_function_stems,
    english_stems,
    glossary,
    initial_sound_variant,
    respell_slips,
    translate_query,
)
from knowledgebase.search.dictionaries import Dictionary
from knowledgebase.search.query import search_articles
from knowledgebase.search.romaji import short_reading, to_hiragana
from knowledgebase.search.vocabulary import vocabulary_for
from knowledgebase.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def publish(**fields):
    return services.save_article(article=ArticleFactory.build(status=Status.PUBLISHED, **fields))


def found(query, language, **kwargs):
    return [hit.article for hit in search_articles(query, language=language, **kwargs).hits]


@pytest.fixture
def japanese_qas(search_index):
    qas = {
        "bulky": publish(
            question="粗大ごみはどうやって出せばよいですか。",
            answer="粗大ごみ受付センターに申し込み、処理券を貼って出してください。",
        ),
        "residence": publish(
            question="住民票の写しはどこで取れますか。", answer="区役所の窓口で住民票の写しを交付します。"
        ),
        "insurance": publish(
            question="国民健康保険に加入するには。",
            answer="転入したら区役所で国民健康保険の加入手続きをします。",
        ),
        "shelter": publish(
            question="避難所はどこですか。", answer="最寄りの避難所は地図で確かめてください。"
        ),
    }
    search_index.sync()
    return qas


def test_an_english_query_finds_the_japanese_qa_through_the_dictionary(japanese_qas):
    hits = found("How do I throw away bulky waste?", "en")
    assert hits[0] == japanese_qas["bulky"]
    assert hits[0].language == "ja"


def test_an_english_reader_typing_romaji_finds_the_japanese_qa(japanese_qas):
    assert found("juminhyo", "en")[0] == japanese_qas["residence"]
    assert found("kokumin kenko hoken", "en")[0] == japanese_qas["insurance"]


def test_a_chinese_query_finds_the_japanese_qa_through_its_kanji_and_the_glossary(japanese_qas):
    assert found("国民健康保险怎么加入", "zh-hans")[0] == japanese_qas["insurance"]
    assert found("粗大垃圾怎么扔", "zh-hans")[0] == japanese_qas["bulky"]


def test_a_korean_query_finds_the_japanese_qa_through_hanja_readings_and_native_words(japanese_qas):
    assert found("주민표 발급", "ko")[0] == japanese_qas["residence"]  # 住民票, Sino-Korean
    assert found("대피소가 어디예요?", "ko")[0] == japanese_qas["shelter"]  # glossary
    assert found("대형 쓰레기 버리는 법", "ko")[0] == japanese_qas["bulky"]  # native 쓰레기 → ごみ


@pytest.fixture
def lost_umbrella(search_index):
    """A Q&A on a word the shipped glossary does not know in any language (傘, umbrella, 雨伞)."""
    qas = {
        "umbrella": publish(
            question="電車に傘を忘れました。どこに問い合わせればよいですか。",
            answer="鉄道会社の忘れ物センターにお問い合わせください。",
        ),
        "bulky": publish(
            question="粗大ごみはどうやって出せばよいですか。", answer="受付センターに申し込みます。"
        ),
    }
    search_index.sync()
    rows = glossary().english + [
        phrase for entries in glossary().entries["zh-hans"].values() for phrase in entries
    ]
    assert not any("umbrella" in str(row) or "伞" in str(row) for row in rows)
    return qas


def test_an_english_word_only_the_general_dictionary_knows_finds_the_japanese_qa(lost_umbrella):
    hits = found("I forgot my umbrella on the train", "en")
    assert hits[0] == lost_umbrella["umbrella"]


def test_a_chinese_word_written_differently_in_japanese_is_found_through_its_english_meaning(lost_umbrella):
    search_backend = backend()
    vocabulary = vocabulary_for(search_backend.reader(), search_backend.generation.name)
    assert "傘" in translate_query("雨伞", "zh-hans", vocabulary).words  # 雨伞 → umbrella → 傘
    assert found("雨伞忘在电车上了", "zh-hans")[0] == lost_umbrella["umbrella"]


def test_an_english_qa_holding_little_of_the_query_does_not_come_before_the_japanese_answer(
    japanese_qas, search_index
):
    english = publish(
        question="How do I renew my My Number Card?", answer="At the ward office.", language="en"
    )
    search_index.sync()
    assert found("how do I throw away my bulky waste", "en") == [japanese_qas["bulky"], english]
    assert found("how do I renew my card", "en")[0] == english


def test_dictionary_words_weigh_less_than_the_glossarys(lost_umbrella):
    search_backend = backend()
    vocabulary = vocabulary_for(search_backend.reader(), search_backend.generation.name)
    words = translate_query("bulky waste umbrella", "en", vocabulary).words
    assert words["粗大"] > words["傘"] > 0


def test_a_gloss_matches_its_words_in_any_order_and_the_longest_gloss_wins():
    dictionary = Dictionary()
    dictionary.add(english_stems("certificate of residence"), "certificate of residence", ["住民票"])
    dictionary.add(english_stems("certificate"), "certificate", ["証明書"])
    dictionary.add(english_stems("where"), "where", ["何処"])
    stems = english_function_stems()
    assert dictionary.matches(english_stems("resident certificate"), stems) == ["住民票"]
    assert dictionary.matches(english_stems("certificate for my car"), stems) == ["証明書"]
    assert dictionary.matches(english_stems("where do I go"), stems) == []  # function words


def test_misspelt_english_words_and_romaji_in_chinese_or_korean_queries_still_translate(japanese_qas):
    assert respell_slips("residance certificate", [glossary()]) == "residence certificate"
    assert respell_slips("tax", [glossary()]) == "tax"  # short words are left alone
    assert found("residance certificate", "en")[0] == japanese_qas["residence"]
    assert found("juminhyo 怎么开", "zh-hans")[0] == japanese_qas["residence"]


def test_a_category_name_in_the_readers_language_translates_too(search_index):
    sewer = CategoryFactory(name="下水道", name_en="Sewerage")
    article = publish(
        question="下水道の使用料について", answer="下水道使用料は水道料金と一緒に請求します。", category=sewer
    )
    search_index.sync()
    assert found("sewerage", "en") == [article]


def test_the_readers_own_qas_and_the_japanese_ones_form_one_list_without_a_translated_pair(search_index):
    original = publish(question="粗大ごみの出し方", answer="粗大ごみ受付センターに申し込みます。")
    english = publish(
        question="How do I put out bulky waste?",
        answer="Apply to the bulky waste centre.",
        language="en",
        translation_of=original,
    )
    only_japanese = publish(
        question="粗大ごみの処理券はどこで買えますか。", answer="粗大ごみ処理券はコンビニで買えます。"
    )
    search_index.sync()
    results = search_articles("bulky waste", language="en")
    assert [hit.article for hit in results.hits] == [english, only_japanese]
    assert results.total == 2
    assert "<mark>粗大</mark>" in results.hits[1].snippet
    assert found("bulky waste", "en", cross_language=False) == [english]
    assert set(found("粗大ごみ", "ja")) == {original, only_japanese}  # Japanese readers see no English


def test_a_japanese_qa_found_through_the_translation_is_shown_as_its_translation(search_index):
    original = publish(question="転入届の出し方", answer="転入した日から14日以内に区役所へ転入届を出します。")
    english = publish(
        question="How do I register after moving in?",
        answer="Within 14 days at the ward office.",
        language="en",
        translation_of=original,
    )
    search_index.sync()
    assert found("tennyu", "en") == [english]  # romaji only the Japanese original holds
    assert found("tennyu register moving", "en") == [english]  # both sides: shown once


def test_a_korean_reader_still_gets_the_japanese_original_of_an_english_translation(search_index):
    original = publish(question="粗大ごみの出し方", answer="粗大ごみ受付センターに申し込みます。")
    publish(question="Bulky waste", answer="Apply.", language="en", translation_of=original)
    search_index.sync()
    assert found("대형 쓰레기", "ko") == [original]


def test_internal_qas_reach_the_console_in_any_language_but_never_the_public(search_index):
    internal = publish(question="粗大ごみの受付手順（職員用）", audience=Audience.INTERNAL)
    search_index.sync()
    assert found("bulky waste", "en") == []
    assert found("bulky waste", "en", include_internal=True) == [internal]


def test_translation_keeps_only_words_the_qas_use(japanese_qas):
    search_backend = backend()
    vocabulary = vocabulary_for(search_backend.reader(), search_backend.generation.name)
    words = translate_query("bulky waste sticker", "en", vocabulary).words
    assert {"粗大", "ごみ"} <= set(words)
    assert "処理" in words and "券" in words
    assert all(word in vocabulary.terms for word in words)
    assert translate_query("国民健康保险", "ja", vocabulary).words == {}


@pytest.mark.parametrize(
    ("romaji", "kana"),
    [
        ("juminhyo", "じゅみんひょ"),
        ("sodai", "そだい"),
        ("yobo-sesshu", "よぼせっしゅ"),
        ("tennyu", "てんにゅ"),
        ("kōkō", "こうこう"),
        ("garbage", None),
        ("tax", None),
    ],
)
def test_romaji_is_spelled_in_hiragana_and_english_words_are_not(romaji, kana):
    assert to_hiragana(romaji) == kana


def test_long_vowels_are_folded_as_romaji_drops_them():
    assert short_reading("じゅうみんひょう") == "じゅみんひょ"
    assert short_reading("こくほ") == "こくほ"
    assert short_reading("けいろう") == "けいろ"


def test_the_korean_initial_sound_rule_is_applied_to_readings():
    assert initial_sound_variant("료금") == "요금"
    assert initial_sound_variant("로인") == "노인"
    assert initial_sound_variant("녀성") == "여성"
    assert initial_sound_variant("주민표") == "주민표"
