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


def _load_categories() -> None:
    path = DEMO_DIR / "categories.csv"
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            names = row["path"].split("/")
            parent = Category.objects.filter(parent=None, name=names[0]).first() if len(names) == 2 else None
            Category.objects.update_or_create(
                parent=parent,
                name=names[-1],
                defaults={
                    "name_en": row.get("name_en", ""),
                    "name_zh_hans": row.get("name_zh_hans", ""),
                    "name_ko": row.get("name_ko", ""),
                    "order": int(row.get("order") or 0),
                },
            )


@transaction.atomic
def load_demo_knowledgebase() -> ImportResult:
    _load_categories()
    result = import_rows(read_rows(decode((DEMO_DIR / "faq.csv").read_bytes())))
    for term, synonyms in STARTER_SYNONYMS.items():
        Synonym.objects.update_or_create(term=term, defaults={"synonyms": synonyms})
    return result
