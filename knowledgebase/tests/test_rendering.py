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
