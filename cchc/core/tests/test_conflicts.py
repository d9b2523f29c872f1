"""One `Conflict` for the whole product: every "not possible in the record's current
state" error derives from it, the API and the pages answer it once (409), and a page
that keeps the user on a form shows it through the one helper."""

import re
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError

from cchc.core.forms import add_service_errors, service_error_messages
from cchc.core.workflow import Conflict, IllegalMove

APPS = Path(__file__).resolve().parents[2]


def test_every_conflict_of_the_domain_apps_is_a_core_conflict():
    from cchc.dossiers import services as dossiers
    from cchc.petitions import services as petitions
    from cchc.plans import services as plans
    from cchc.procedures import services as procedures
    from cchc.satisfaction import services as satisfaction

    assert dossiers.IllegalMove is IllegalMove
    assert plans.Conflict is Conflict
    assert petitions.WORKFLOW.get("answer").allowed == {"petitions.answer_petition"}
    assert issubclass(procedures.ProcedureConflict, Conflict)
    assert issubclass(satisfaction.AlreadyRated, Conflict)
    assert "một lần" in satisfaction.AlreadyRated().message


def test_no_app_answers_409_by_hand():
    """`HttpError(409, …)` in an app means a conflict that bypasses `Conflict`;
    raise a `Conflict` (subclass) instead and let the shared handler answer."""
    offenders = []
    for path in APPS.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"HttpError\(\s*409", text):
            offenders.append(str(path.relative_to(APPS)))
    assert offenders == []


class Form(forms.Form):
    name = forms.CharField(required=False)
    score_speed = forms.IntegerField(required=False)


def test_field_errors_go_on_their_fields_and_the_rest_above_the_form():
    form = Form({})
    form.is_valid()
    exc = ValidationError({"name": "Thiếu tên.", "speed": "Từ 1 đến 5.", "elsewhere": "Không hợp lệ."})
    add_service_errors(form, exc, field_for=lambda n: f"score_{n}" if n == "speed" else n)
    assert form.errors["name"] == ["Thiếu tên."]
    assert form.errors["score_speed"] == ["Từ 1 đến 5."]
    assert form.non_field_errors() == ["Không hợp lệ."]


def test_plain_messages_and_conflicts_go_above_the_form_or_on_the_named_field():
    form = Form({})
    form.is_valid()
    add_service_errors(form, ValidationError(["Một.", "Hai."]))
    add_service_errors(form, Conflict("Đã có."))
    assert form.non_field_errors() == ["Một.", "Hai.", "Đã có."]
    add_service_errors(form, Conflict("Trùng tên."), conflict_field="name")
    assert form.errors["name"] == ["Trùng tên."]


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ValidationError({"a": "Một.", "b": ["Hai.", "Ba."]}), ["Một.", "Hai.", "Ba."]),
        (ValidationError("Bốn."), ["Bốn."]),
        (IllegalMove("Năm."), ["Năm."]),
    ],
)
def test_messages_of_a_refusal_for_flash_messages(exc, expected):
    assert service_error_messages(exc) == expected
