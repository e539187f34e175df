import pytest

from knowledgebase import services
from knowledgebase.models import Status
from knowledgebase.search.boilerplate import split_boilerplate
from knowledgebase.search.query import search_articles
from knowledgebase.tests.factories import ArticleFactory

SQUARE_BLOCK = """母子健康手帳は全国共通ですので、前の市町村で交付を受けた手帳を引き続きお使いください。

■お問い合わせ先
　お住まいの区の保健センター（区役所内）
■受付時間
　平日8時45分～17時15分（土日祝日・年末年始を除く）"""

ONE_LINE_BLOCK = """入学する小学校名と入学式の日時を記載しています。

■問合せ先　教育委員会学校教育課　電話：011-000-3101
■問合せ時間　平日８時４５分～１７時１５分　■休日　土日祝・年末年始"""

BRACKET_BLOCK = """出生の日から14日以内に、お子さんの国民健康保険の加入手続きをしてください。

【お問い合わせ】
お住まいの区の区役所保険年金課　国保係
受付時間：平日8時45分～17時15分
※受付は閉庁日を除きます。"""

PAGE_FOOTER = """市民防災センターでは、地震の揺れや消火器の使い方を体験できます。

このページに関するお問い合わせ
市民防災センター　電話：011-000-3350
受付時間：９時３０分～１７時（月曜日・年末年始を除く）"""

NOTES_AND_LINKS = """【区役所の窓口で受付します】
委任状の様式は https://www.city.example.jp/kurashi/koseki/ininjo.html からダウンロードできます。
お問い合わせは、お住まいの区の区役所戸籍住民課へ。
【問合せ】各区役所戸籍住民課（平日8:45～17:15）
お問い合わせ先：経済観光局産業振興課　TEL 011-000-3401（受付時間 平日8:45～17:15）
電話：011-000-2000"""


@pytest.mark.parametrize(
    ("answer", "kept", "moved"),
    [
        (
            SQUARE_BLOCK,
            "母子健康手帳は全国共通",
            ["■お問い合わせ先", "保健センター（区役所内）", "平日8時45分"],
        ),
        (ONE_LINE_BLOCK, "入学式の日時", ["教育委員会学校教育課", "■休日"]),
        (BRACKET_BLOCK, "加入手続き", ["国保係", "受付時間", "閉庁日"]),
        (PAGE_FOOTER, "消火器の使い方", ["このページに関するお問い合わせ", "011-000-3350", "月曜日"]),
        (
            NOTES_AND_LINKS,
            "委任状の様式は",
            [
                "区役所の窓口で受付します",
                "https://www.city.example.jp",
                "戸籍住民課へ",
                "産業振興課",
                "011-000-2000",
            ],
        ),
    ],
)
def test_contact_blocks_notes_phones_and_web_addresses_are_told_apart_from_the_answer(answer, kept, moved):
    body, contact = split_boilerplate(answer)
    assert kept in body
    for text in moved:
        assert text in contact and text not in body


def test_sentences_about_phones_and_hours_stay_in_the_answer():
    answer = (
        "電話で申し込んでください。\n"
        "- 開館時間: 9時30分から17時まで\n"
        "区役所の受付時間は、平日8時45分から17時15分までです。\n"
        "詳しくは https://www.city.example.jp/koseki/ をご覧ください。"
    )
    body, contact = split_boilerplate(answer)
    assert "電話で申し込んでください。" in body
    assert "開館時間: 9時30分から17時まで" in body
    assert "区役所の受付時間は" in body
    assert "詳しくは" in body and "https://" not in body
    assert contact == "https://www.city.example.jp/koseki/"


@pytest.mark.django_db
def test_a_contact_block_does_not_make_a_qa_match_questions_about_opening_hours(search_index):
    hours = ArticleFactory.build(
        question="区役所の開庁時間を教えてください。",
        answer="区役所の窓口は平日に開いています。土曜日の開庁は月2回です。",
        status=Status.PUBLISHED,
    )
    services.save_article(article=hours)
    for topic in ("母子健康手帳の交付", "妊婦健診の受診票", "児童手当の申請", "犬の登録"):
        services.save_article(
            article=ArticleFactory.build(
                question=f"{topic}について教えてください。",
                answer=f"{topic}は区役所で行います。\n\n■お問い合わせ先\n　区役所保健福祉課\n"
                "■受付時間\n　平日8時45分～17時15分（土日祝日・年末年始を除く）",
                status=Status.PUBLISHED,
            )
        )
    search_index.sync()
    results = search_articles("受付時間は平日何時から何時まで")
    assert results.hits[0].article.pk == hours.pk
    assert not any(hit.confident for hit in results.hits[1:])  # the footers do not answer it
    assert [hit.article.pk for hit in search_articles("開庁時間 平日").hits][:1] == [hours.pk]
