"""CSV for spreadsheets: the same file whole or streamed, formulas neutralised either way."""

from django.http import HttpResponse, StreamingHttpResponse

from contactcenter.lib.spreadsheet import ROWS_PER_CHUNK, csv_response


def rows(count):
    return ([number, f"=A{number}", "回答"] for number in range(count))


def test_a_streamed_file_is_the_whole_file_sent_in_chunks():
    count = ROWS_PER_CHUNK * 2 + 1
    whole = csv_response("a.csv", ["ID", "@cell", "Answer"], rows(count))
    streamed = csv_response("a.csv", ["ID", "@cell", "Answer"], rows(count), streamed=True)
    assert isinstance(whole, HttpResponse) and isinstance(streamed, StreamingHttpResponse)
    chunks = list(streamed.streaming_content)
    assert len(chunks) == 3
    assert b"".join(chunks) == whole.content
    assert whole.content.decode("utf-8").startswith("\ufeffID,'@cell,Answer\r\n0,'=A0,回答\r\n")
    assert streamed["Content-Disposition"] == whole["Content-Disposition"] == 'attachment; filename="a.csv"'
