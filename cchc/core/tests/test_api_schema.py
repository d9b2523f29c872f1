"""The API's OpenAPI document: unique schema names, typed responses, every error
code declared, 401 (not a CSRF 403) for anonymous writes, Swagger UI from the
project's own files."""

from collections import defaultdict

import pytest
from ninja import Schema

FILE_DOWNLOADS = (".docx", ".xlsx", "/docx", "/xlsx", "export.{fmt}")


def _schema_classes():
    from cchc.api import api  # noqa: F401 - imports every router and its schemas

    seen, stack = [], list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("cchc."):
            seen.append(cls)
    return seen


def test_no_two_schemas_share_a_name():
    modules = defaultdict(set)
    for cls in _schema_classes():
        modules[cls.__name__].add(cls.__module__)
    assert {name: sorted(m) for name, m in modules.items() if len(m) > 1} == {}


def test_the_duplicate_check_would_notice_a_clash():
    class ActionIn(Schema):  # noqa: F841 - a clash with nothing any more: DossierActionIn, PetitionActionIn
        x: int

    class DossierActionIn(Schema):  # the same name as cchc.dossiers.api's
        x: int

    DossierActionIn.__module__ = "cchc.somewhere_else"
    names = [c.__name__ for c in _schema_classes()]
    assert names.count("DossierActionIn") == 2


@pytest.fixture(scope="module")
def document():
    from cchc.api import api

    return api.get_openapi_schema()


def test_every_json_response_is_typed(document):
    untyped = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if not str(code).startswith("2") or path.endswith(FILE_DOWNLOADS):
                    continue
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if not schema or (schema.get("type") == "object" and not schema.get("properties")):
                    untyped.append(f"{method.upper()} {path} {code}")
    assert untyped == []


def test_every_operation_declares_the_errors_it_can_answer(document):
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = {str(code) for code in operation["responses"]}
            wanted = {"400", "401", "403", "404", "422", "429"} | ({"409"} if method != "get" else set())
            if wanted - codes:
                missing.append(f"{method.upper()} {path}: {sorted(wanted - codes)}")
    assert missing == []
    assert document["components"]["schemas"]["ErrorOut"]["properties"]["detail"]["type"] == "string"


@pytest.mark.django_db
def test_anonymous_writes_answer_401_not_a_csrf_403(client):
    from django.test import Client

    anonymous = Client(enforce_csrf_checks=True)
    for path in ("/api/v1/dossiers", "/api/v1/procedures", "/api/v1/reports"):
        response = anonymous.post(path, "{}", content_type="application/json")
        assert response.status_code == 401, path
        assert response.json()["detail"].startswith("Chưa xác thực")


@pytest.mark.django_db
def test_swagger_ui_is_served_from_the_projects_own_files(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
