"""Publishes Q&As one by one and times until each is found through the JSON API.

`python benchmarks/freshness_probe.py BASE_URL COUNT` prints `FRESH s1 s2 …` (seconds from
commit to the first search that finds it).
"""

import json
import sys
import time
import urllib.request
from urllib.parse import urlencode

from django_process import setup

setup()

from knowledgebase import services  # noqa: E402
from knowledgebase.models import Status  # noqa: E402
from knowledgebase.tests.factories import ArticleFactory  # noqa: E402

WORDS = "あかさたなはまやらわ"


def token(number: int) -> str:
    return "".join(WORDS[int(digit)] for digit in f"{int(time.time())}{number}")


def main() -> None:
    base, count = sys.argv[1], int(sys.argv[2])
    delays = []
    for number in range(count):
        word = "ミ" + token(number) + "ズ"  # a katakana word no Q&A contains
        article = ArticleFactory.build(question=f"{word}の手続き", status=Status.PUBLISHED, external_id="")
        services.save_article(article=article)
        committed = time.monotonic()
        url = f"{base}/api/v1/faq/search?" + urlencode({"q": word})
        while time.monotonic() - committed < 30:
            with urllib.request.urlopen(url, timeout=5) as response:
                if any(hit["id"] == article.pk for hit in json.load(response)["results"]):
                    break
            time.sleep(0.05)
        delays.append(time.monotonic() - committed)
    print("FRESH " + " ".join(f"{delay:.3f}" for delay in delays))


if __name__ == "__main__":
    main()
