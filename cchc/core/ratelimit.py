"""Per-client rate limits for public pages and endpoints, kept in Django's cache
(no outside service).

A fixed window: at most `limit` hits per `window` seconds per client and scope.
With the default local-memory cache each server process counts on its own; set a
shared cache (database or Redis) when several processes serve the public pages.
The client is identified by REMOTE_ADDR only: X-Forwarded-For can be forged by
the client, so behind a reverse proxy the proxy must pass the real address in
REMOTE_ADDR. Only a hash of the address is used as a key (it is personal data).
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(scope: str, request: HttpRequest, window: int, now: float | None = None) -> str:
    digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:24]
    slot = int(time.time() if now is None else now) // window
    return f"ratelimit:{scope}:{digest}:{slot}"


def rate_limit(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Count one hit of this client on `scope`; True while it is within `limit`
    hits in the current `window` seconds, False once over it (the caller then
    refuses the request without doing any work)."""
    key = _key(scope, request, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def is_limited(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """True when the client has already used up its hits (without counting one)."""
    return (cache.get(_key(scope, request, window)) or 0) >= limit
