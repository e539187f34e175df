"""CSV for spreadsheets: UTF-8 with a BOM (Excel in Japan reads it right) and no formulas.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula
when the file is opened (CSV injection); such cells get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows written per chunk of a streamed file: large enough that the server does not send a
# packet per row, small enough that memory stays flat however long the file is.
ROWS_PER_CHUNK = 500


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _chunks(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([neutralise(cell) for cell in header])
    for number, row in enumerate(rows, start=1):
        writer.writerow([neutralise(cell) for cell in row])
        if number % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]], *, streamed: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """The rows as a CSV download; `streamed` sends them as they are read (a file of any
    length in flat memory) instead of building the whole file first."""
    if streamed:
        response = StreamingHttpResponse(_chunks(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse("".join(_chunks(header, rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
