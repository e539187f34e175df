"""A synthetic knowledge base of any size, grown from the demo Q&As, for speed benchmarks.

Each Q&A is a demo Japanese Q&A placed in one of many districts and facilities, with a
sentence borrowed from another answer and its own contact line, so that vocabulary and
posting lists grow with the size as in a real city's database. Deterministic per seed.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "knowledgebase" / "demo" / "faq.csv"
DISTRICTS = [
    f"{name}区"
    for name in [
        "中央",
        "北",
        "東",
        "白石",
        "厚別",
        "豊平",
        "清田",
        "南",
        "西",
        "手稲",
        "緑",
        "青葉",
        "桜",
        "港",
        "泉",
        "若葉",
    ]
]
FACILITIES = [
    "区民センター",
    "まちづくりセンター",
    "保健センター",
    "図書館",
    "体育館",
    "児童会館",
    "清掃事務所",
    "土木センター",
    "市税事務所",
    "出張所",
]
COLUMNS = ["external_id", "category", "question", "answer", "department", "language", "keywords"]


def demo_rows() -> list[dict[str, str]]:
    with DEMO.open(encoding="utf-8", newline="") as file:
        return [
            row
            for row in csv.DictReader(file)
            if row["language"] == "ja"
            and row["status"] in ("", "published")
            and row["audience"] != "internal"
        ]


def write_corpus(path: Path, size: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    rows = demo_rows()
    sentences = [s + "。" for row in rows for s in row["answer"].replace("\n", "").split("。") if s.strip()]
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        for number in range(size):
            base = rows[number % len(rows)]
            district = DISTRICTS[(number // len(rows)) % len(DISTRICTS)]
            facility = f"{district}{rng.choice(FACILITIES)}"
            answer = "\n\n".join(
                [
                    base["answer"],
                    rng.choice(sentences),
                    f"詳しくは{facility}(電話 011-{rng.randint(200, 899)}-{rng.randint(1000, 9999)})へ"
                    "お問い合わせください。",
                ]
            )
            writer.writerow(
                {
                    "external_id": f"S{number:06d}",
                    "category": base["category"],
                    "question": f"【{district}】{base['question']}"
                    if number >= len(rows)
                    else base["question"],
                    "answer": answer,
                    "department": base["department"],
                    "language": "ja",
                    "keywords": base["keywords"],
                }
            )
    return path
