"""Rate limits: counted per keyed hash of the address, stacked limits checked together, and an
unreachable store never loses what someone sent."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from participatie import create_app
from participatie.extensions import limiter
from tests.conftest import base_config


def _app(database_url: str, instance_path: Path, **config: Any) -> Flask:
    return create_app(base_config(database_url, **config), instance_path=str(instance_path))


@pytest.fixture
def limited(database_url: str, instance_path: Path) -> Iterator[Flask]:
    app = _app(database_url, instance_path)
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.7"}):
        limiter.reset()
        yield app


def test_a_limit_counts_per_client_and_scope(limited: Flask) -> None:
    assert [limiter.hit("a", "2 per hour") for _ in range(3)] == [True, True, False]
    assert limiter.hit("b", "2 per hour")  # another scope has its own count
    assert limiter.hit("a", "2 per hour", key="someone-else")


def test_a_request_refused_by_one_of_stacked_limits_counts_in_none(limited: Flask) -> None:
    assert limiter.allow([("x", "3 per hour", "client"), ("y", "1 per hour", "mail:1")])
    assert not limiter.allow([("x", "3 per hour", "client"), ("y", "1 per hour", "mail:1")])
    # The refused request did not use one of the client's three.
    assert limiter.allow([("x", "3 per hour", "client"), ("y", "1 per hour", "mail:2")])
    assert limiter.allow([("x", "3 per hour", "client"), ("y", "1 per hour", "mail:3")])
    assert not limiter.allow([("x", "3 per hour", "client"), ("y", "1 per hour", "mail:4")])


def test_limits_can_be_switched_off(database_url: str, instance_path: Path) -> None:
    app = _app(database_url, instance_path, RATELIMIT_ENABLED=False)
    with app.test_request_context("/"):
        assert all(limiter.hit("a", "1 per hour") for _ in range(5))


def test_an_unreachable_store_lets_the_request_through_and_warns(
    database_url: str, instance_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = _app(
        database_url, instance_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0"
    )  # port 9 (discard): nothing listens there
    with app.test_request_context("/"), caplog.at_level(logging.WARNING):
        assert limiter.hit("a", "1 per hour")
        assert limiter.hit("a", "1 per hour")
    assert "limit storage unavailable" in caplog.text
