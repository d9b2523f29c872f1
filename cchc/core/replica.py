"""Reads from a PostgreSQL read replica: the first step past one database server
(docs/scaling.md).

With `CCHC_REPLICA_DATABASE_URL` set, settings add a second database alias,
"replica" (a streaming-replication standby of the primary), and this router
sends to it the reads of read-only requests — every GET/HEAD page, htmx fragment,
export and API read, so the statistics, registers, queues, dashboards and every
figure of the catalogue they show — while every write, and every read of a
request that writes, goes to the primary ("default").

A replica lags the primary by a fraction of a second. So that nobody misses what
they just did:
- a request that is not read-only (POST, PUT, PATCH, DELETE) reads and writes the
  primary, and its response sets the cookie `cchc_primary` for
  `CCHC_REPLICA_STICKY_SECONDS` (15 s): that browser's next pages read the primary
  too (it sees the dossier it has just received in the queue);
- inside a transaction on the primary (`transaction.atomic()`, e.g. a service
  that locks a row and reads around it) every read stays on the primary;
- an object read from one database keeps reading its relations there;
- commands and background jobs read the primary unless they say otherwise
  (`reading_from_replica()`).

Without the setting the router answers nothing and Django uses "default" for all.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

PRIMARY = "default"
STICKY_COOKIE = "cchc_primary"
READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")

_replica_reads: ContextVar[bool] = ContextVar("cchc_replica_reads", default=False)


def replica_alias() -> str | None:
    return getattr(settings, "REPLICA_DATABASE", None)


@contextmanager
def reading_from_replica(enabled: bool = True):
    """Within the block, reads may go to the replica (when one is configured)."""
    token = _replica_reads.set(enabled)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def _in_transaction_on_primary() -> bool:
    conn = connections[PRIMARY]
    # The atomic blocks a test case wraps every test in are not the application's.
    return any(not getattr(block, "_from_testcase", False) for block in conn.atomic_blocks)


class ReplicaRouter:
    """Database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if not alias:
            return None
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        if not _replica_reads.get() or _in_transaction_on_primary():
            return PRIMARY
        return alias

    def db_for_write(self, model, **hints):
        return PRIMARY if replica_alias() else None

    def allow_relation(self, obj1, obj2, **hints):
        alias = replica_alias()
        if alias and {obj1._state.db, obj2._state.db} <= {PRIMARY, alias}:
            return True  # the same data, one copy behind the other
        return None


class ReplicaReadsMiddleware:
    """Read-only requests read from the replica, unless this browser wrote a moment ago."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_alias():
            return self.get_response(request)
        read_only = request.method in READ_ONLY_METHODS
        with reading_from_replica(read_only and STICKY_COOKIE not in request.COOKIES):
            response = self.get_response(request)
        if not read_only:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
