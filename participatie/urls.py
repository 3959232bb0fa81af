"""URL and query-string parsing that never lets a visitor's number reach the database unchecked.

PostgreSQL refuses integers beyond its column range with an error; a URL like /poule/99999999999
must give a 404, not a 500.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2_147_483_647  # PostgreSQL INTEGER


class BoundedIntegerConverter(IntegerConverter):
    """`<int:…>` in every route: 1 … MAX_ID, anything else does not match (404)."""

    def __init__(self, map, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def query_int(value: str | None, default: int | None = None, maximum: int = MAX_ID) -> int | None:
    """A positive integer from a query string, or `default` for anything else."""
    if value is None or not value.isdigit() or len(value) > len(str(maximum)):
        return default
    number = int(value)
    return number if 0 < number <= maximum else default


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntegerConverter
