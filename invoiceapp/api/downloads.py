from collections.abc import Iterator

from flask import Response


def csv_download(lines: Iterator[str], filename: str) -> Response:
    """A streamed CSV attachment."""
    return Response(
        lines,
        mimetype="text/csv",
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
