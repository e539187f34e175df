from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from knowledgebase import audit
from knowledgebase.models import Article, Category, IndexLog, Status

HEADER = "external_id,category,question,answer,department,language,keywords,audience,status,translation_of\n"
ROWS = (
    "G1,ごみ・リサイクル/粗大ごみ,粗大ごみの出し方,受付センターに申し込みます。,gomi,ja,ソファ,public,,\n"
    "G1-en,ごみ・リサイクル/粗大ごみ,How do I put out bulky waste?,Apply to the center.,gomi,en,,public,published,G1\n"
)

pytestmark = pytest.mark.django_db


def run_import(tmp_path: Path, content: bytes, *args: str) -> str:
    path = tmp_path / "faq.csv"
    path.write_bytes(content)
    out = StringIO()
    call_command("import_faq", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_import_reads_utf8_with_or_without_bom_and_excel_shift_jis(tmp_path, department, encoding):
    run_import(tmp_path, (HEADER + ROWS).encode(encoding))
    source = Article.objects.get(external_id="G1")
    assert source.question == "粗大ごみの出し方"
    assert source.category.path() == "ごみ・リサイクル/粗大ごみ"
    assert source.department == department
    assert source.status == Status.DRAFT  # no status and no --publish
    assert Article.objects.get(external_id="G1-en").translation_of == source


def test_publish_flag_publishes_rows_without_status_and_logs_them_for_the_index(tmp_path, department):
    run_import(tmp_path, (HEADER + ROWS).encode(), "--publish")
    assert Article.objects.published().count() == 2
    assert IndexLog.objects.count() == 2


def test_import_upserts_by_external_id(tmp_path, department):
    run_import(tmp_path, (HEADER + ROWS).encode())
    run_import(tmp_path, (HEADER + ROWS.replace("粗大ごみの出し方", "粗大ごみの申込み方法")).encode())
    assert Article.objects.count() == 2
    assert Article.objects.get(external_id="G1").question == "粗大ごみの申込み方法"
    assert Category.objects.count() == 2


def test_one_bad_row_imports_nothing_and_names_the_line(tmp_path, department):
    bad = HEADER + ROWS + "G3,ごみ,,回答,gomi,xx,,public,,\n"
    with pytest.raises(CommandError, match="Nothing imported"):
        path = tmp_path / "bad.csv"
        path.write_bytes(bad.encode())
        err = StringIO()
        try:
            call_command("import_faq", str(path), stdout=StringIO(), stderr=err)
        finally:
            assert "line 4: question is empty" in err.getvalue()
            assert "line 4: language 'xx'" in err.getvalue()
    assert not Article.objects.exists()


def test_missing_columns_are_reported(tmp_path):
    with pytest.raises(CommandError):
        run_import(tmp_path, b"id,question\n1,x\n")
    assert not Article.objects.exists()


def test_dry_run_writes_nothing(tmp_path, department):
    out = run_import(tmp_path, (HEADER + ROWS).encode(), "--dry-run")
    assert "Would import 2 rows" in out
    assert not Article.objects.exists() and not Category.objects.exists()


def test_export_then_import_round_trips(tmp_path, department):
    run_import(tmp_path, (HEADER + ROWS).encode(), "--publish")
    exported = tmp_path / "out.csv"
    call_command("export_faq", str(exported))
    before = list(
        Article.objects.order_by("external_id").values(
            "external_id", "question", "answer", "status", "language"
        )
    )
    Article.objects.filter(translation_of__isnull=False).delete()
    Article.objects.all().delete()
    call_command("import_faq", str(exported), stdout=StringIO(), stderr=StringIO())
    after = list(
        Article.objects.order_by("external_id").values(
            "external_id", "question", "answer", "status", "language"
        )
    )
    assert after == before


def test_reimporting_a_changed_japanese_text_makes_its_translations_stale(tmp_path, department):
    run_import(tmp_path, (HEADER + ROWS).encode(), "--publish")
    translation = Article.objects.get(external_id="G1-en")
    assert not translation.is_stale_translation()
    assert translation.next_review is not None  # imported Q&As get a review date too
    run_import(tmp_path, (HEADER + ROWS).encode(), "--publish")  # same text: nothing falls behind
    assert not Article.objects.stale_translations().exists()
    run_import(
        tmp_path, (HEADER + ROWS.replace("受付センターに申し込みます。", "電話で申し込みます。")).encode()
    )
    assert list(Article.objects.stale_translations()) == [translation]


def test_reimporting_unchanged_rows_changes_nothing(tmp_path, department):
    run_import(tmp_path, (HEADER + ROWS).encode(), "--publish")
    before = {a.external_id: (a.version, a.content_version, a.history.count()) for a in Article.objects.all()}
    IndexLog.objects.all().delete()
    out = run_import(tmp_path, (HEADER + ROWS).encode(), "--publish")
    after = {a.external_id: (a.version, a.content_version, a.history.count()) for a in Article.objects.all()}
    assert after == before
    assert not IndexLog.objects.exists()
    assert "2 unchanged" in out
    assert not Article.objects.get(external_id="G1-en").is_stale_translation()


def test_reimport_without_a_status_keeps_published_qas_published(tmp_path, department):
    run_import(tmp_path, (HEADER + ROWS).encode(), "--publish")
    corrected = ROWS.replace(
        "受付センターに申し込みます。", "粗大ごみ受付センターに電話かインターネットで申し込みます。"
    )
    run_import(tmp_path, (HEADER + corrected).encode())
    corrected_qa = Article.objects.get(external_id="G1")
    assert corrected_qa.status == Status.PUBLISHED
    assert corrected_qa.answer.startswith("粗大ごみ受付センター")
    assert Article.objects.published().count() == 2
    assert Article.objects.get(external_id="G1-en").is_stale_translation()


def test_a_status_changed_by_import_is_in_the_audit_log_like_a_withdrawal(tmp_path, department):
    from contactcenter.accounts.audit import events_for

    run_import(tmp_path, (HEADER + ROWS).encode(), "--publish")
    withdrawn = ROWS.replace("gomi,ja,ソファ,public,,", "gomi,ja,ソファ,public,archived,")
    run_import(tmp_path, (HEADER + withdrawn).encode())
    article = Article.objects.get(external_id="G1")
    assert article.status == Status.ARCHIVED
    event = events_for(article).get()
    assert (event.action, event.from_state, event.to_state) == (
        audit.WITHDRAW,
        Status.PUBLISHED,
        Status.ARCHIVED,
    )


HTML_ANSWER = (
    "<p>粗大ごみは<strong>事前申込制</strong>です。<br>\n受付センターに申し込んでください。</p>"
    '<ul><li>電話&nbsp;011-000-0000</li><li><a href="https://www.city.example.jp/gomi/">インターネット受付</a></li></ul>'
    "<table><tr><th>品目</th><th>手数料</th></tr><tr><td>ソファ</td><td>1,200円</td></tr></table>"
    "<p>ご相談&amp;お問い合わせ<script>alert(1)</script></p>"
)


def csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def test_an_answer_exported_as_html_is_imported_as_plain_text_with_its_structure(
    client, tmp_path, department
):
    row = f"G9,ごみ・リサイクル/粗大ごみ,{csv_field('<p>粗大ごみの<b>出し方</b></p>')},{csv_field(HTML_ANSWER)},gomi,ja,,public,,\n"
    out = run_import(tmp_path, (HEADER + row).encode(), "--publish")
    assert "1 row(s) held HTML" in out
    article = Article.objects.get(external_id="G9")
    assert article.question == "粗大ごみの出し方"
    assert article.answer == (
        "粗大ごみは事前申込制です。\n受付センターに申し込んでください。\n\n"
        "- 電話 011-000-0000\n- [インターネット受付](https://www.city.example.jp/gomi/)\n\n"
        "| 品目 | 手数料 |\n|---|---|\n| ソファ | 1,200円 |\n\n"
        "ご相談&お問い合わせ"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://www.city.example.jp/gomi/"' in page and "<th" in page
    assert "&lt;p&gt;" not in page and "alert(1)" not in page


def test_a_plain_answer_with_angle_brackets_is_not_taken_for_html(tmp_path, department):
    answer = "所得が<100万円の方は、申告が不要です。\n\n- 詳しくは窓口へ"
    row = f"G8,税/市民税,所得が少ない場合,{csv_field(answer)},gomi,ja,,public,,\n"
    out = run_import(tmp_path, (HEADER + row).encode())
    assert Article.objects.get(external_id="G8").answer == answer
    assert "HTML" not in out


def test_an_answer_that_is_only_markup_is_refused_as_empty(tmp_path, department):
    row = "G7,ごみ,質問,<p>&nbsp;</p><br>,gomi,ja,,public,,\n"
    with pytest.raises(CommandError, match="Nothing imported"):
        run_import(tmp_path, (HEADER + row).encode())
    assert not Article.objects.exists()


def test_links_left_open_or_without_an_address_keep_their_words():
    from knowledgebase.htmltext import html_to_text

    html = '<p><a href="https://a.example.jp/">申請書<a href="https://b.example.jp/">記入例</a> と <a>窓口</a></p>'
    assert html_to_text(html) == "[申請書](https://a.example.jp/)[記入例](https://b.example.jp/) と 窓口"
