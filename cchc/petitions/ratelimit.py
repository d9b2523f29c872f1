"""The petition pages' rate limits (numbers from settings / environment), on top of
the shared per-client counter `cchc.core.ratelimit`."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from cchc.core import ratelimit

SUBMIT_SCOPE = "petition-submit"
LOOKUP_SCOPE = "petition-lookup"


def submit_limited(request: HttpRequest) -> bool:
    """True once the client has sent its allowed submissions in the window.

    Checked before any work; only successful submissions (and honeypot hits) are
    counted, so a citizen correcting a typo is not locked out."""
    return ratelimit.is_limited(
        request,
        SUBMIT_SCOPE,
        limit=settings.PETITION_SUBMIT_LIMIT,
        window=settings.PETITION_SUBMIT_WINDOW_SECONDS,
    )


def count_submission(request: HttpRequest) -> None:
    ratelimit.rate_limit(
        request,
        SUBMIT_SCOPE,
        limit=settings.PETITION_SUBMIT_LIMIT,
        window=settings.PETITION_SUBMIT_WINDOW_SECONDS,
    )


def lookup_allowed(request: HttpRequest) -> bool:
    """Count one follow-up try (right or wrong) and say whether it may proceed."""
    return ratelimit.rate_limit(
        request,
        LOOKUP_SCOPE,
        limit=settings.PETITION_LOOKUP_LIMIT,
        window=settings.PETITION_LOOKUP_WINDOW_SECONDS,
    )
