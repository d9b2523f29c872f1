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
from dataclasses import dataclass

from django.conf import settings
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


# --- Failure lock-outs (staff login, API tokens) ------------------------------------
#
# Unlike the public pages' windows above, a lock-out is counted from the failures
# themselves: `limit` failures within `window` seconds (from the first of them) lock
# the key for `window` seconds from the failure that reached the limit, and every
# try while locked is refused without checking the password. A success clears the
# account's count (not the address's).


def _now() -> float:
    return time.time()


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Lock:
    scope: str  # "account" or "address"
    seconds_left: int

    @property
    def minutes_left(self) -> int:
        return max(1, -(-self.seconds_left // 60))


def _locked_until(key: str) -> float:
    return float(cache.get(f"lock:{key}") or 0)


def _fail(key: str, *, limit: int, window: int) -> bool:
    """Count one failure on `key`; True when this failure reaches the limit (the
    key is locked from now for `window` seconds)."""
    now = _now()
    counter = f"fail:{key}"
    state = cache.get(counter)
    if not state or now - state[0] >= window:
        state = (now, 0)
    state = (state[0], state[1] + 1)
    cache.set(counter, state, timeout=window + 5)
    if state[1] >= limit:
        cache.set(f"lock:{key}", now + window, timeout=window + 5)
        cache.delete(counter)
        return True
    return False


def _keys(kind: str, request: HttpRequest, username: str | None) -> dict[str, str]:
    keys = {"address": f"{kind}:address:{_digest(client_ip(request))}"}
    if username:
        keys["account"] = f"{kind}:account:{_digest(username.strip().lower())}"
    return keys


def locked(kind: str, request: HttpRequest, username: str | None = None) -> Lock | None:
    """The lock-out in force for this address or account, if any."""
    now = _now()
    for scope, key in _keys(kind, request, username).items():
        until = _locked_until(key)
        if until > now:
            return Lock(scope, int(until - now + 0.999))
    return None


def failed(kind: str, request: HttpRequest, username: str | None = None) -> list[str]:
    """Count one failure; the scopes ("account", "address") this failure locked."""
    limits = {
        "account": settings.LOGIN_FAILURES_PER_ACCOUNT,
        "address": settings.LOGIN_FAILURES_PER_ADDRESS
        if kind == "login"
        else settings.API_TOKEN_FAILURES_PER_ADDRESS,
    }
    window = settings.LOGIN_LOCK_SECONDS
    return [
        scope
        for scope, key in _keys(kind, request, username).items()
        if _fail(key, limit=limits[scope], window=window)
    ]


def succeeded(kind: str, request: HttpRequest, username: str) -> None:
    cache.delete(f"fail:{_keys(kind, request, username)['account']}")
