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
