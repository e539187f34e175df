import re

import pytest

from knowledgebase.rendering import render_answer


def test_paragraphs_lists_and_links_are_rendered():
    html = render_answer(
        "窓口で申請できます。\n\n必要なもの:\n- 本人確認書類\n- 印鑑\n\n詳しくは https://www.city.example.jp/inkan をご覧ください。"
    )
    assert "<p>窓口で申請できます。</p>" in html
    assert "<ul><li>本人確認書類</li><li>印鑑</li></ul>" in html
    assert '<a href="https://www.city.example.jp/inkan" rel="noopener noreferrer">' in html


def test_a_table_with_a_header_row():
    html = render_answer("| 品目 | 手数料 |\n|---|---|\n| ソファ | 1,000円 |\n| タンス | 800円 |")
    assert '<thead><tr><th scope="col">品目</th><th scope="col">手数料</th></tr></thead>' in html
    assert "<tr><td>ソファ</td><td>1,000円</td></tr>" in html


def test_a_labelled_link():
    html = render_answer("[ごみ分別辞典](https://www.city.example.jp/gomi)で調べられます。")
    assert '<a href="https://www.city.example.jp/gomi" rel="noopener noreferrer">ごみ分別辞典</a>' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        'https://example.jp/"><script>alert(1)</script>',
        "| <b onmouseover=alert(1)>x</b> |",
        "<style>body{display:none}</style>",
    ],
)
def test_nothing_typed_into_an_answer_becomes_script_or_style(attack):
    html = render_answer(f"説明\n\n{attack}")
    lowered = str(html).lower()
    assert (
        "<script" not in lowered
        and "<style" not in lowered
        and "<img" not in lowered
        and "<b " not in lowered
    )
    assert "onerror=" not in lowered.replace("onerror=&quot;", "") or "&lt;img" in lowered
    assert 'href="javascript' not in lowered


def _links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', str(html))


SODAI = "https://www.city.example.jp/kurashi/gomi/sodai.html"


@pytest.mark.parametrize(
    ("text", "after"),
    [
        (f"- インターネット: {SODAI}(24時間受付)", "(24時間受付)"),
        (f"网上申请：{SODAI}（24小时受理）", "（24小时受理）"),
        (f"{SODAI}、または電話で", "、または電話で"),
        (f"詳しくは{SODAI}。", "。"),
        (f"「{SODAI}」をご覧ください", "」をご覧ください"),
        (f"【{SODAI}】", "】"),
        (f"{SODAI}　からどうぞ", "　からどうぞ"),
        (f"See {SODAI}.", "."),
        (f"({SODAI}), or call us", "), or call us"),
    ],
)
def test_a_bare_link_ends_where_the_address_ends_not_at_the_next_space(text, after):
    html = str(render_answer(text))
    assert _links(html) == [(SODAI, SODAI)]
    assert f"{SODAI}</a>{after}" in html


def test_an_address_with_its_own_parentheses_and_query_stays_whole():
    html = render_answer(
        "See https://en.wikipedia.org/wiki/Sapporo_(city), or https://www.city.example.jp/s?q=%E3%81%94&x=1."
    )
    assert _links(html) == [
        ("https://en.wikipedia.org/wiki/Sapporo_(city)", "https://en.wikipedia.org/wiki/Sapporo_(city)"),
        (
            "https://www.city.example.jp/s?q=%E3%81%94&amp;x=1",
            "https://www.city.example.jp/s?q=%E3%81%94&amp;x=1",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "number", "shown"),
    [
        ("電話 011-000-2101", "0110002101", "011-000-2101"),
        ("電話：０１１－０００－２１０１（平日）", "0110002101", "０１１－０００－２１０１"),
        ("フリーダイヤル 0120-123-456", "0120123456", "0120-123-456"),
        ("TEL (011)123-4567", "0111234567", "(011)123-4567"),
        ("Tel. 011(211)2111", "0112112111", "011(211)2111"),
        ("☎0110002101", "0110002101", "0110002101"),
        ("電話番号は 09012345678 です", "09012345678", "09012345678"),
        ("配偶者暴力相談支援センター(011-000-2900)へ", "0110002900", "011-000-2900"),
        ("Call +81-11-000-2101 from abroad", "+81110002101", "+81-11-000-2101"),
        ("전화: 011-000-2101", "0110002101", "011-000-2101"),
    ],
)
def test_a_phone_number_in_an_answer_can_be_called_with_one_tap(text, number, shown):
    assert _links(render_answer(text)) == [(f"tel:{number}", shown)]


@pytest.mark.parametrize(
    "text",
    [
        "FAX 011-000-2102",
        "ファクス：011-000-2102",
        "ファックス（011）000-2102",
        "〒060-0001 札幌市中央区",
        "受付は2026-04-01から",
        "手数料 1,000円、口座番号 0123456789",
        "マイナンバー 0123-4567-8901",
        "受付番号 0110002101",
        "小児救急電話相談(#8000)、189番",
        "電話 211-2111",
    ],
)
def test_fax_numbers_postal_codes_dates_and_other_digits_are_not_phone_links(text):
    assert _links(render_answer(text)) == []


def test_only_the_phone_number_beside_a_fax_number_is_a_phone_link():
    html = render_answer("電話 011-000-2101、FAX 011-000-2102")
    assert _links(html) == [("tel:0110002101", "011-000-2101")]


def test_phone_links_survive_sanitising_in_tables_and_lists():
    html = render_answer(
        "| 窓口 | 電話 |\n|---|---|\n| 粗大ごみ受付センター | 011-000-5300 |\n\n- TEL 011-000-2101"
    )
    assert [href for href, _label in _links(html)] == ["tel:0110005300", "tel:0110002101"]
