"""Demo Q&As, categories and a starter synonym list, for `manage.py load_demo_data`."""

import csv
from pathlib import Path

from django.db import transaction

from knowledgebase.importing import ImportResult, decode, import_rows, read_rows
from knowledgebase.models import Category, Synonym

DEMO_DIR = Path(__file__).resolve().parent / "demo"

STARTER_SYNONYMS = {
    "粗大ごみ": "ソファ, タンス, ベッド, 自転車, マットレス, 大型ごみ",
    "転入": "引っ越し, 引越し",
    "転出": "引っ越し, 引越し",
    "転居": "引っ越し, 引越し",
    "マイナンバーカード": "マイナ, マイナカード, 個人番号カード",
    "住民票の写し": "住民票",
    "国民健康保険": "国保",
    "児童手当": "子ども手当",
    "保育所": "保育園",
    "敬老優待乗車証": "敬老パス",
    "避難所": "避難場所",
    "印鑑登録証明書": "印鑑証明, 実印",
    "戸籍謄本": "戸籍全部事項証明書, 戸籍",
    # Japanese words foreign residents type in romaji.
    "residence certificate": "juminhyo, jumin-hyo, jyuminhyo",
    "National Health Insurance": "kokuho, kokumin kenko hoken",
    "convenience store": "konbini, combini",
    "nursery school": "daycare, day care, hoikuen",
    "My Number Card": "mynumber card, my-number card, maina card",
}


def _demo_files(pattern: str, first: str) -> list[Path]:
    """`first`, then every other demo file matching `pattern`, in name order."""
    return [DEMO_DIR / first, *sorted(p for p in DEMO_DIR.glob(pattern) if p.name != first)]


def _load_categories() -> None:
    """Add the demo categories that are missing; names edited in the product stay as edited."""
    for path in _demo_files("categories*.csv", "categories.csv"):
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                names = row["path"].split("/")
                parent = (
                    Category.objects.filter(parent=None, name=names[0]).first() if len(names) == 2 else None
                )
                Category.objects.get_or_create(
                    parent=parent,
                    name=names[-1],
                    defaults={
                        "name_en": row.get("name_en", ""),
                        "name_zh_hans": row.get("name_zh_hans", ""),
                        "name_ko": row.get("name_ko", ""),
                        "order": int(row.get("order") or 0),
                    },
                )


# The first demo knowledge base (194 Japanese Q&As and their translations): the shipped
# evaluation queries (evaluation/queries.csv) were written against it alone.
FIRST_FAQ = "faq.csv"


@transaction.atomic
def load_demo_knowledgebase(*, first_only: bool = False) -> ImportResult:
    """Add the demo Q&As, categories and synonyms that are missing (by external_id and name).

    Never overwrites: what was edited in the running product stays as it is.
    """
    _load_categories()
    files = [DEMO_DIR / FIRST_FAQ] if first_only else _demo_files("faq*.csv", FIRST_FAQ)
    rows = [row for path in files for row in read_rows(decode(path.read_bytes()))]
    result = import_rows(rows, only_new=True)
    for term, synonyms in STARTER_SYNONYMS.items():
        Synonym.objects.get_or_create(term=term, defaults={"synonyms": synonyms})
    return result
