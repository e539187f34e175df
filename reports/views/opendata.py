"""The public open-data page and its CSV: read only the precomputed `OpenDataMonth` table
(the public host's database role reads no inquiry)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from contactcenter.lib.spreadsheet import csv_response
from inquiries.models import Channel, Kind
from reports import opendata

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
CSV_MAX_AGE = 60 * 60  # rebuilt daily; an hour-old copy is as good


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    language = get_language() or "ja"
    return render(
        request,
        "public/open_data.html",
        {
            "summary": opendata.summary(),
            "english_names": language != "ja",
            "license_url": LICENSE_URL + ("deed.ja" if language == "ja" else ""),
            "small_cell": opendata.SUPPRESSED,
            "channels": Channel.choices,
            "kinds": Kind.choices,
        },
    )


@require_GET
@cache_control(public=True, max_age=CSV_MAX_AGE)
def open_data_csv(request: HttpRequest) -> HttpResponse:
    return csv_response(
        "inquiries-by-month.csv", opendata.CSV_HEADER, opendata.published_rows(), streamed=True
    )
