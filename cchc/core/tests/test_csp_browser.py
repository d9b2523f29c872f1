"""The Content-Security-Policy holds in a real browser: every page (htmx, charts,
the API docs, the admin, printable forms, the kiosk and the public pages) renders
without a single violation. The pages are found by following the links each role
sees, one page per URL pattern, so that pages added later are checked too."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from cchc.core.tests.demo_data import load_small_demo
from cchc.testing import browser_login

LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""
# Links that change something or leave the session.
SKIP_PREFIXES = ("/dang-xuat/", "/admin/logout/")


def _pattern(path: str, query: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    # One page per route (and per kind of filter): /ho-so/<code>/ once, not per dossier.
    keys = sorted({part.split("=")[0] for part in query.split("&") if part and not part.startswith("page=")})
    return f"{match.route}?{','.join(keys)}"


seen_pages: list[str] = []


def _crawl(page, base: str, starts: list[str], seen: set[str], *, limit: int) -> dict[str, list[str]]:
    """Visit pages reachable from `starts` whose URL pattern is not in `seen` yet;
    return the violations per page."""
    queue = list(starts)
    done: set[str] = set()
    problems: dict[str, list[str]] = {}
    visited = 0
    while queue and visited < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = _pattern(parts.path, parts.query)
        if key is None or parts.path.startswith(SKIP_PREFIXES):
            continue
        if url in done or (key in seen and url not in starts):  # a role's start pages are always seen
            continue
        done.add(url)
        seen.add(key)
        probe = page.request.get(url)
        if probe.status != 200 or not probe.headers.get("content-type", "").startswith("text/html"):
            continue  # downloads (.docx, .xlsx, evidence) and refusals
        assert "script-src 'self'" in probe.headers["content-security-policy"]
        page.goto(url, wait_until="load")
        if page.locator("canvas, [hx-trigger]").count():
            page.wait_for_load_state("networkidle")  # charts drawn, htmx loads done
        visited += 1
        found = page.evaluate("window.__csp")
        if found:
            problems[parts.path] = found
        seen_pages.append(parts.path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urljoin(url, href)
            if target.startswith(base) and "#" not in href:
                queue.append(target)
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_violates_the_content_security_policy(page, live_server):
    from cchc.dossiers.models import Dossier, Status
    from cchc.org.models import User
    from cchc.satisfaction.services import rating_path

    load_small_demo()
    base = live_server.url
    page.add_init_script(LISTEN)
    problems: dict[str, list[str]] = {}

    # Citizens: the public pages, a rating form reached by its QR code.
    dossier = Dossier.objects.filter(commune__slug="ducxuong", status=Status.RETURNED).last()
    seen: set[str] = set()
    motcua_pk = User.objects.get(username="motcua").pk
    public = [f"{base}/cong-khai/", f"{base}/cong-khai/ducxuong/", f"{base}/phan-anh/", f"{base}/dang-nhap/"]
    public.append(base + rating_path(dossier))
    problems |= _crawl(page, base, public, seen, limit=25)

    # Staff: the one-stop officer, the chairman (dashboards, statistics) and the
    # administrator (every page, the admin, the API docs).
    for username, extra in (
        ("motcua", ["/ho-so/tiep-nhan/", f"/ho-so/{dossier.code}/mau-01/", "/danh-gia/quay/"]),
        ("chutich", ["/ho-so/thong-ke/", "/danh-gia/", "/phan-anh/quan-ly/thong-ke/"]),
        (
            "admin",
            [
                "/api/v1/docs",
                "/admin/",
                "/admin/org/user/",
                f"/admin/org/user/{motcua_pk}/change/",
                "/nhat-ky/",
            ],
        ),
    ):
        page.context.clear_cookies()
        browser_login(page, live_server, username)
        problems |= _crawl(page, base, [base + p for p in extra] + [f"{base}/"], seen, limit=30)
        if username == "admin":
            # The API docs page draws Swagger UI from the bundled files.
            page.goto(f"{base}/api/v1/docs")
            page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
            assert page.evaluate("window.__csp") == []
        if username == "motcua":
            # htmx at work: the queue's live search swaps part of the page.
            page.goto(f"{base}/ho-so/")
            search = page.locator("input[name=q]").first
            if search.count():
                search.fill(dossier.code[-4:])
                page.wait_for_load_state("networkidle")
                assert page.evaluate("window.__csp") == []

    assert problems == {}
    assert page.console_errors == []
    # The crawl did reach the pages that matter (and not just the login page).
    for path in (
        "/ho-so/thong-ke/",
        "/danh-gia/",
        "/cong-khai/ducxuong/",
        "/admin/",
        "/api/v1/docs",
        "/ke-hoach/",
    ):
        assert path in seen_pages
    assert len(set(seen_pages)) >= 40
