"""Role × page × commune, generated from the URL configuration and the API's
OpenAPI document: for every route with an id in it, every role of commune A tries
the ids and codes of commune B's records (GET, and POST where the route takes one)
and must neither read B's private data nor change any of B's records. New routes
are covered as they are added: nothing here lists them.

Private markers of commune B: a dossier's code and applicant, an unpublished
petition's citizen and text, a draft plan's task — none of them is on a public
page. A write is detected through the audit trail (every audited save carries its
commune) and through the records' own state.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cchc.core.models import AuditLog
from cchc.core.workcal import TZ
from cchc.org.models import Role
from cchc.testing import make_department, make_unit, make_user

ROLES = (Role.CHAIRMAN, Role.CCHC_OFFICE, Role.ONE_STOP_OFFICER, Role.DEPARTMENT_OFFICER)
SKIP_NAMES = {"logout"}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(patterns=None, prefix=""):
    """(route string with <converter:name> parts, url name) of every page."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("api/"):
                continue  # the API is walked from its own document
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name or ""


@pytest.fixture
def world(db):
    from cchc.dossiers.services import Applicant
    from cchc.dossiers.tests.helpers import at, make_procedure, receive
    from cchc.petitions.services import petition_submit
    from cchc.plans import services as plans
    from cchc.plans.models import AreaKind

    province = make_unit("province", "haiphong", code="000.00.00.H26")
    communes = {}
    for slug, code in (("ducxuong", "000.21.31.H26"), ("gialoc", "000.22.31.H26")):
        commune = make_unit("commune", slug, province, code=code)
        office = make_department(commune, "vp-dang-uy-noi-vu", "Văn phòng", is_cchc_office=True)
        one_stop = make_department(commune, "vp-hdnd-ubnd", "Một cửa", is_one_stop=True)
        justice = make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
        users = {
            Role.CHAIRMAN: make_user(f"chutich-{slug}", Role.CHAIRMAN, commune),
            Role.CCHC_OFFICE: make_user(f"vanphong-{slug}", Role.CCHC_OFFICE, commune, office),
            Role.ONE_STOP_OFFICER: make_user(f"motcua-{slug}", Role.ONE_STOP_OFFICER, commune, one_stop),
            Role.DEPARTMENT_OFFICER: make_user(f"tuphap-{slug}", Role.DEPARTMENT_OFFICER, commune, justice),
        }
        proc = make_procedure(commune, department=justice)
        tag = slug.upper()
        dossier = receive(
            users[Role.ONE_STOP_OFFICER],
            proc,
            at(2025, 6, 2),
            applicant=Applicant(f"Người Nộp {tag}", "034095001234", "0912345678", "Thôn Đông"),
        )
        petition = petition_submit(
            commune=commune,
            name=f"Công Dân {tag}",
            address="Thôn Tây",
            phone="0983222614",
            subject=f"Phản ánh riêng {tag}",
            content=f"Nội dung riêng tư {tag} về thủ tục.",
            at=datetime(2025, 6, 3, 9, tzinfo=TZ),
        )
        plan = plans.plan_create(user=None, commune=commune, year=2026)
        area = plans.area_add(user=None, plan=plan, kind=AreaKind.PROCEDURES)
        task = plans.task_create(user=None, area=area, title=f"Nhiệm vụ nháp riêng {tag}")
        communes[slug] = {
            "commune": commune,
            "users": users,
            "ints": sorted({proc.pk, dossier.pk, petition.pk, plan.pk, area.pk, task.pk, justice.pk}),
            "strs": [dossier.code, petition.code, proc.code, slug],
            "markers": [
                dossier.code,
                f"Người Nộp {tag}",
                f"Công Dân {tag}",
                f"Nội dung riêng tư {tag}",
                f"Nhiệm vụ nháp riêng {tag}",
            ],
            "plan": (plan.pk, area.pk, task.pk),
            "records": [dossier, petition, plan, task],
        }
    return communes


def _fill(route: str, other: dict) -> list[str]:
    """The route with its parameters filled by commune B's ids and codes."""
    names = [m.group(2) for m in CONVERTER.finditer(route)]
    if not names:
        return []
    if "plan" in route or "ke-hoach" in route:
        plan_pk, area_pk, task_pk = other["plan"]
        known = {"pk": plan_pk, "area_pk": area_pk, "task_pk": task_pk}
        if all(n in known for n in names):
            return [CONVERTER.sub(lambda m: str(known[m.group(2)]), route)]
    urls = []
    for i in range(max(len(other["ints"]), len(other["strs"]))):

        def value(m, i=i):
            kind = m.group(1) or "str"
            pool = other["ints"] if kind == "int" else other["strs"]
            return str(pool[i % len(pool)])

        urls.append("/" + CONVERTER.sub(value, route).lstrip("^").lstrip("/").rstrip("$"))
    return sorted(set(urls))


def _state(records) -> list:
    return [type(r).objects.filter(pk=r.pk).values().first() for r in records]


def _check(client, url: str, method: str, other: dict, who: str, body=None, **kw):
    before_audit = AuditLog.objects.filter(commune_id=other["commune"].pk).exclude(action="view").count()
    before = _state(other["records"])
    if method == "get":
        response = client.get(url, **kw)
    elif method == "post" and body is None:
        response = client.post(url, {}, **kw)  # a form post with nothing filled in
    else:
        response = client.generic(method.upper(), url, body or "", **kw)
    text = ""
    if response.status_code == 200 and not getattr(response, "streaming", False):
        text = response.content.decode(errors="replace")
    leaked = [m for m in other["markers"] if m in text]
    assert leaked == [], f"{who}: {method.upper()} {url} shows commune B's {leaked}"
    after_audit = AuditLog.objects.filter(commune_id=other["commune"].pk).exclude(action="view").count()
    assert after_audit == before_audit, f"{who}: {method.upper()} {url} wrote to commune B"
    assert _state(other["records"]) == before, f"{who}: {method.upper()} {url} changed commune B's records"


@pytest.mark.django_db
def test_no_page_shows_or_changes_another_communes_records(client, world):
    other = world["gialoc"]
    routes = [(r, n) for r, n in _routes() if CONVERTER.search(r) and n not in SKIP_NAMES]
    assert len(routes) > 50  # the walk really covers the product's pages
    checked = 0
    for role in ROLES:
        user = world["ducxuong"]["users"][role]
        client.force_login(user)
        for route, _name in routes:
            for url in _fill(route, other):
                for method in ("get", "post"):
                    _check(client, url, method, other, f"{user.username}")
                    checked += 1
    assert checked > 500


@pytest.mark.django_db
def test_no_api_operation_shows_or_changes_another_communes_records(client, world):
    from cchc.api import api
    from cchc.core.services import api_token_create

    other = world["gialoc"]
    document = api.get_openapi_schema()
    operations = [
        (path, method) for path, methods in document["paths"].items() for method in methods if "{" in path
    ]
    assert len(operations) > 15
    for role in ROLES:
        user = world["ducxuong"]["users"][role]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)[1]}"}
        for path, method in operations:
            route = re.sub(
                r"\{(\w+)\}",
                lambda m: f"<{'int' if m.group(1).endswith('id') else 'str'}:{m.group(1)}>",
                path,
            )
            for url in _fill(route, other):
                if method == "get":
                    _check(client, url, "get", other, user.username, **headers)
                else:
                    _check(
                        client,
                        url,
                        "post",
                        other,
                        user.username,
                        body=json.dumps({}),
                        content_type="application/json",
                        **headers,
                    )
