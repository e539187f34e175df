"""Keeps saving Q&As (an editor who never stops) until terminated: `python benchmarks/busy_writer.py SEED`."""

import contextlib
import random
import sys
import time

from django_process import setup

setup()

from django.db import OperationalError  # noqa: E402

from knowledgebase import services  # noqa: E402
from knowledgebase.models import Article  # noqa: E402

PAUSE = 0.25  # seconds between saves: 4 writers make 16 saves a second, far above a real team


def main() -> None:
    rng = random.Random(int(sys.argv[1]))
    ids = list(Article.objects.published().values_list("pk", flat=True)[:500])
    while True:
        article = Article.objects.get(pk=rng.choice(ids))
        article.keywords = f"改訂{rng.randint(0, 10**6)}"
        with contextlib.suppress(OperationalError):  # SQLite busy: try again, as an editor would
            services.save_article(article=article)
        time.sleep(PAUSE)


if __name__ == "__main__":
    main()
