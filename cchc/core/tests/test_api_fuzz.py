"""The API against its own OpenAPI document (schemathesis, property-based): for
every operation, generated requests — valid and invalid — never answer a server
error, never answer a code the document does not declare, and never answer a body
that breaks the declared schema. Bounded (a few examples per operation,
derandomized) so that it runs in CI in a few minutes on a 2-core machine.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from cchc.org.models import Role
from cchc.testing import make_department, make_unit, make_user

EXAMPLES = 6


@pytest.fixture
def api_schema(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from cchc.wsgi import application

    # As Django's test client does: a request must not close the test's database
    # connection (on PostgreSQL that would end the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    from cchc.core.services import api_token_create
    from cchc.dossiers.tests.helpers import at, make_procedure, receive

    province = make_unit("province", "haiphong", code="000.00.00.H26")
    commune = make_unit("commune", "ducxuong", province, code="000.21.31.H26")
    make_department(commune, "vp-hdnd-ubnd", "Văn phòng HĐND – UBND", is_one_stop=True)
    make_department(commune, "tu-phap-ho-tich", "Tư pháp – Hộ tịch")
    leader = make_user("chutich", Role.CHAIRMAN, commune)
    officer = make_user("motcua", Role.ONE_STOP_OFFICER, commune)
    receive(officer, make_procedure(commune), at(2025, 6, 2))
    return api_token_create(user=leader)[1]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_document(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(
        response, checks=(not_a_server_error, status_code_conformance, response_schema_conformance)
    )
