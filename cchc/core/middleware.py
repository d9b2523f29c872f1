"""Request middleware: NFC-normalise form input; set the audit actor; answer a
`Conflict` (a move not possible in the record's current state) with 409; send the
Content-Security-Policy."""

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from . import audit
from .text import clean_input, strip_controls, too_long_message
from .workflow import Conflict


def _normalised(query: QueryDict) -> QueryDict:
    copy = query.copy()
    for key in copy:
        copy.setlist(key, [clean_input(v) if isinstance(v, str) else v for v in copy.getlist(key)])
    copy._mutable = False
    return copy


class NfcInputMiddleware:
    """Vietnamese typed on different keyboards arrives composed or decomposed; every
    form value is stored in NFC so that equality and uniqueness behave. Control
    characters (NUL included) are dropped from every value (`text.clean_input`), and a
    path holding one is refused: they break documents and PostgreSQL refuses NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if strip_controls(request.path) != request.path:
            message = "Địa chỉ trang chứa ký tự điều khiển không hợp lệ."
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _normalised(request.POST)
        if request.GET:
            request.GET = _normalised(request.GET)
        limit = settings.MAX_INPUT_CHARS
        for query in (request.GET, request.POST if request.method == "POST" else QueryDict()):
            if any(isinstance(v, str) and len(v) > limit for key in query for v in query.getlist(key)):
                return _too_long(request, limit)
        if request.content_type == "application/json" and len(request.body) > limit:
            # Only a body longer than the limit can hold a string longer than it.
            if _longest_string(request.body) > limit:
                return _too_long(request, limit)
        return self.get_response(request)


def _longest_string(body: bytes) -> int:
    import json

    try:
        data = json.loads(body)
    except ValueError:
        return 0  # the API answers a body that is not JSON itself
    longest, stack = 0, [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
    return longest


def _too_long(request: HttpRequest, limit: int) -> HttpResponse:
    from django.http import JsonResponse

    message = too_long_message(limit)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=422)
    return render(request, "400.html", {"message": message}, status=400)


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        source = "admin" if request.path.startswith("/admin/") else "ui"
        if request.path.startswith("/api/"):
            source = "api"  # the API's authentication sets the actor itself
        token = audit.set_actor(user if user is not None and user.is_authenticated else None, source)
        try:
            return self.get_response(request)
        finally:
            audit.reset_actor(token)


class ConflictMiddleware:
    """Pages: a `Conflict` that a view did not turn into a form error is answered
    once, here, with 409 and its Vietnamese message (the API has its own handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Conflict) or request.path.startswith("/api/"):
            return None
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = ""
        return render(request, "409.html", {"message": exception.message, "back": back}, status=409)


class ContentSecurityPolicyMiddleware:
    """Sends `settings.CSP` on every response, with a fresh nonce in place of
    `{nonce}`. Templates that need a <style> element write
    `<style nonce="{{ request.csp_nonce }}">`; scripts come from static files only, so
    markup injected into a page (a name, a petition text) can never run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if settings.CSP and "Content-Security-Policy" not in response.headers:
            response.headers["Content-Security-Policy"] = settings.CSP.replace("{nonce}", request.csp_nonce)
        return response
