"""CSV import and export of Q&As (the format is documented in README.md).

An import is all or nothing: every row is checked first, and one bad row means
nothing is written, with each problem reported by line number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from contactcenter.accounts.audit import record_event
from contactcenter.accounts.models import Department
from knowledgebase import audit
from knowledgebase.htmltext import html_to_text, looks_like_html
from knowledgebase.models import Article, Audience, Category, Language, Status
from knowledgebase.services import log_index_change

REQUIRED_COLUMNS = ["external_id", "category", "question", "answer"]
OPTIONAL_COLUMNS = [
    "department",
    "language",
    "keywords",
    "audience",
    "status",
    "translation_of",
    "phone_script",
    "other_phrasings",
]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


class ImportFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# Columns that may hold HTML (a FAQ system's export); converted to plain text on reading.
HTML_COLUMNS = ("question", "answer", "phone_script")


@dataclass
class Row:
    line: int
    values: dict[str, str]
    from_html: bool = False  # a column held HTML and was converted to plain text


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    categories_created: int = 0
    from_html: int = 0  # rows whose HTML was converted to plain text
    errors: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM, or Shift_JIS/CP932 as Excel writes it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                [f"The file is neither UTF-8 nor Shift_JIS (byte {exc.start}). Save it as CSV UTF-8."]
            ) from None


def read_rows(text: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFailed([f"line 1: missing column(s): {', '.join(missing)} (found: {', '.join(header)})"])
    reader.fieldnames = header
    rows = []
    for values in reader:
        cleaned = {key: (value or "").strip() for key, value in values.items() if key in COLUMNS}
        html = [name for name in HTML_COLUMNS if looks_like_html(cleaned.get(name, ""))]
        for name in html:
            cleaned[name] = html_to_text(cleaned[name])
        if "question" in html:  # a question is one line
            cleaned["question"] = " ".join(cleaned["question"].split())
        if any(cleaned.values()):
            rows.append(Row(reader.line_num, cleaned, from_html=bool(html)))
    return rows


def _check(rows: list[Row]) -> list[str]:
    errors: list[str] = []
    departments = set(Department.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    ids_in_file = {row.values.get("external_id", "") for row in rows}
    existing = set(Article.objects.filter(external_id__in=ids_in_file).values_list("external_id", flat=True))
    for row in rows:
        v, where = row.values, f"line {row.line}"
        for name in REQUIRED_COLUMNS:
            if not v.get(name):
                errors.append(f"{where}: {name} is empty")
        external_id = v.get("external_id", "")
        if external_id in seen:
            errors.append(f"{where}: external_id {external_id} repeats line {seen[external_id]}")
        seen.setdefault(external_id, row.line)
        if len(v.get("question", "")) > 500:
            errors.append(f"{where}: question is longer than 500 characters")
        if len(v.get("category", "").split("/")) > 2:
            errors.append(f"{where}: category has more than two levels: {v['category']}")
        checks: list[tuple[str, Iterable[str]]] = [
            ("language", Language.values),
            ("audience", Audience.values),
            ("status", Status.values),
        ]
        for name, allowed in checks:
            if v.get(name) and v[name] not in allowed:
                errors.append(f"{where}: {name} {v[name]!r} is not one of {', '.join(allowed)}")
        if v.get("department") and v["department"] not in departments:
            errors.append(f"{where}: unknown department code {v['department']!r}")
        source = v.get("translation_of")
        if source and source not in ids_in_file and source not in existing:
            errors.append(f"{where}: translation_of {source!r} is neither in the file nor in the database")
        if source and v.get("language", "ja") == "ja":
            errors.append(f"{where}: a translation needs a language other than ja")
    return errors


def _category(path: str, cache: dict[str, Category], result: ImportResult) -> Category | None:
    if not path:
        return None
    if path in cache:
        return cache[path]
    parent = None
    names = [name.strip() for name in path.split("/")]
    for depth, name in enumerate(names):
        key = "/".join(names[: depth + 1])
        if key not in cache:
            cache[key], created = Category.objects.get_or_create(parent=parent, name=name)
            result.categories_created += created
        parent = cache[key]
    return cache[path]


# A status set by an import is recorded like the same change made in the workflow.
_IMPORT_STATUS_ACTIONS = {
    Status.PUBLISHED: audit.PUBLISH,
    Status.ARCHIVED: audit.WITHDRAW,
    Status.REVIEW: audit.SUBMIT,
    Status.DRAFT: audit.SEND_BACK,
}


def import_rows(
    rows: list[Row],
    *,
    publish: bool = False,
    dry_run: bool = False,
    only_new: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Upsert Q&As by external_id. A row identical to the Q&A as it is changes nothing (no
    version, history or index work); a row without a status keeps the Q&A's status (new ones
    are drafts, or published with `publish`). With `only_new`, existing Q&As are left alone."""
    errors = _check(rows)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult(from_html=sum(row.from_html for row in rows))
    with transaction.atomic():
        departments = {d.code: d for d in Department.objects.all()}
        categories: dict[str, Category] = {}
        by_external_id = {
            a.external_id: a
            for a in Article.objects.filter(external_id__in=[r.values["external_id"] for r in rows])
        }
        if only_new:
            rows = [row for row in rows if row.values["external_id"] not in by_external_id]
        changed: list[Article] = []
        today = timezone.localdate()
        for number, row in enumerate(rows, start=1):
            v = row.values
            article = by_external_id.get(v["external_id"]) or Article(external_id=v["external_id"])
            default_status = Status.PUBLISHED if publish else (article.status if article.pk else Status.DRAFT)
            wanted = {
                "category_id": _category(v["category"], categories, result).pk,
                "question": v["question"],
                "answer": v["answer"],
                "department_id": getattr(departments.get(v.get("department", "")), "pk", None),
                "language": v.get("language") or Language.JAPANESE,
                "keywords": v.get("keywords", ""),
                "audience": v.get("audience") or Audience.PUBLIC,
                "status": v.get("status") or default_status,
                "phone_script": v.get("phone_script", ""),
                "other_phrasings": v.get("other_phrasings", ""),
            }
            if article.pk and all(getattr(article, name) == value for name, value in wanted.items()):
                result.unchanged += 1
                continue
            previous_text, previous_status = article.text(), article.status
            for name, value in wanted.items():
                setattr(article, name, value)
            if article.pk:
                article.version += 1
                article.note_text_change(previous_text)  # translations of it fall behind
                result.updated += 1
            else:
                result.created += 1
            if article.next_review is None:
                article.next_review = article.default_next_review(today)
            status_changed = article.pk is not None and article.status != previous_status
            if status_changed and article.status == Status.PUBLISHED:
                article.prepare_to_publish(today)
            article._change_reason = "import"
            article.save()
            if status_changed:
                record_event(
                    actor=None,
                    action=_IMPORT_STATUS_ACTIONS[article.status],
                    target=article,
                    from_state=previous_status,
                    to_state=article.status,
                    note="import",
                )
            by_external_id[article.external_id] = article
            changed.append(article)
            if progress and number % 200 == 0:
                progress(number, len(rows))
        for row in rows:
            source = row.values.get("translation_of")
            article = by_external_id[row.values["external_id"]]
            wanted_source = by_external_id.get(source) if source else None
            if wanted_source is None and source:
                wanted_source = Article.objects.get(external_id=source)
            if article.translation_of_id != (wanted_source.pk if wanted_source else None):
                article.translation_of = wanted_source
                article.save(update_fields=["translation_of"])
                if article not in changed:
                    changed.append(article)
            if wanted_source is not None and article.source_content_version is None:
                # A new translation matches the source as imported; later source changes make it stale.
                article.source_content_version = wanted_source.content_version
                article.save(update_fields=["source_content_version"])
        log_index_change(article.pk for article in changed)
        if dry_run:
            transaction.set_rollback(True)
    return result


def export_rows(articles: Iterable[Article]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for a in articles:
        writer.writerow(
            [
                a.external_id or f"id-{a.pk}",
                a.category.path() if a.category_id else "",
                a.question,
                a.answer,
                a.department.code if a.department_id else "",
                a.language,
                a.keywords,
                a.audience,
                a.status,
                (a.translation_of.external_id or f"id-{a.translation_of_id}") if a.translation_of_id else "",
                a.phone_script,
                a.other_phrasings,
            ]
        )
    return out.getvalue()
