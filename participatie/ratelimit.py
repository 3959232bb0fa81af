"""Rate limits for the few forms that need them, on the `limits` library.

A limit is checked only in the views that declare one, so no other request pays for it (a
middleware that looks up limits for every request cost more than the survey's own work). Counts
are kept per keyed hash of the client address (`security.anonymous_client_key`), never the
address, in memory or in Redis (`RATELIMIT_STORAGE_URI`) so that all workers share them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from .security import anonymous_client_key

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def _parsed(text: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(text))


class RateLimiter:
    def __init__(self) -> None:
        self.storage: Storage | None = None
        self.strategy: FixedWindowRateLimiter | None = None

    def init_app(self, app: Flask) -> None:
        self.storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
        self.strategy = FixedWindowRateLimiter(self.storage)
        app.extensions["participatie.ratelimit"] = self

    @staticmethod
    def _for_app() -> RateLimiter:
        return current_app.extensions["participatie.ratelimit"]  # type: ignore[no-any-return]

    def allow(self, checks: list[tuple[str, str, str]]) -> bool:
        """True when every (scope, limits, key) allows one more request, which is then counted
        in all of them; a refused request counts nowhere.

        When the store cannot be reached (Redis down) the request is let through and a warning
        logged: a parent's answers or sign-up are not lost to an outage, and staff logins still
        have the account lock after repeated failures."""
        limiter = self._for_app()
        strategy = limiter.strategy
        if not current_app.config["RATELIMIT_ENABLED"] or strategy is None:
            return True
        counted = [(item, scope, key) for scope, text, key in checks for item in _parsed(text)]
        try:
            if len(counted) > 1 and not all(strategy.test(*entry) for entry in counted):
                return False
            return all([strategy.hit(item, scope, key) for item, scope, key in counted])
        except Exception:  # any failure of the store: see above
            log.warning("rate limit not checked: limit storage unavailable")
            return True

    def hit(self, scope: str, limits: str, key: str | None = None) -> bool:
        """Count one request in `scope` against every limit in `limits` ("10 per minute;50 per
        hour"); False when one of them is exceeded. With rate limits disabled, always True."""
        return self.allow([(scope, limits, key if key is not None else anonymous_client_key())])

    def reset(self) -> None:
        limiter = self._for_app()
        if limiter.storage is not None:
            limiter.storage.reset()

    def limit(
        self,
        limits: Callable[[], str],
        *,
        methods: tuple[str, ...] | list[str] = ("POST",),
        key_func: Callable[[], str] = anonymous_client_key,
    ) -> Callable[[F], F]:
        """A view decorator: 429 (the friendly error page) once `limits()` is exceeded. Stacked
        decorators are checked together, so a request one of them refuses counts in none."""

        def decorator(view: F) -> F:
            declared: list[tuple[Callable[[], str], tuple[str, ...], Callable[[], str]]] | None
            declared = getattr(view, "_rate_limits", None)
            if declared is not None:  # already wrapped by an inner `limit`
                declared.append((limits, tuple(methods), key_func))
                return view
            declared = [(limits, tuple(methods), key_func)]
            scope = f"{view.__module__}.{view.__name__}"

            @functools.wraps(view)
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                checks = [
                    (scope, text(), key()) for text, on, key in declared if request.method in on
                ]
                if checks and not self.allow(checks):
                    log.info("rate limit reached endpoint=%s", request.endpoint)
                    abort(429)
                return view(*args, **kwargs)

            wrapped._rate_limits = declared  # type: ignore[attr-defined]
            return wrapped  # type: ignore[return-value]

        return decorator
