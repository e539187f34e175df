"""Server-side time of each dashboard page and CSV download (run by bench_reports.py in a
Django process pointed at the benchmark database): the median and the slowest of RUNS."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contactcenter.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from contactcenter.accounts.models import User  # noqa: E402
from reports.periods import fiscal_year_of  # noqa: E402
from reports.tables import TABLES  # noqa: E402

RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "5"))


def main() -> None:
    from django.utils import timezone

    year = fiscal_year_of(timezone.localdate()) - 1  # the last whole fiscal year
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    pages = [
        ("/reports/", "overview"),
        ("/reports/first-contact-resolution/", "first-contact resolution"),
        ("/reports/volume/", "volume and staffing"),
        ("/reports/callers/", "who calls"),
    ]
    pages += [(f"/reports/tables/{slug}.csv", f"CSV {slug}") for slug in TABLES]
    for path, name in pages:
        times, queries = [], 0
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(f"{path}?fy={year}", HTTP_HOST="127.0.0.1")
                if response.streaming:
                    b"".join(response.streaming_content)
                times.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
            assert response.status_code == 200, (path, response.status_code)
        print(f"TIME\t{name}\t{statistics.median(times) * 1000:.0f}\t{max(times) * 1000:.0f}\t{queries}")


if __name__ == "__main__":
    main()
