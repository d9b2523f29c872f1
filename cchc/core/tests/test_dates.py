"""Days are typed and shown dd/mm/yyyy everywhere: one field (`DayField`, `MomentField`)
used by every form and filter of every app, never the browser's date picker (which
shows mm/dd/yyyy on an English browser), and a Vietnamese message on a bad day."""

import importlib
import pkgutil
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

import cchc
from cchc.core.forms import DAY_INVALID, MOMENT_INVALID, DayField, DayInput, MomentField
from cchc.core.models import AuditLog, CalendarOverride
from cchc.testing import BaseTestCase

APPS = Path(cchc.__file__).resolve().parent


def _all_form_classes():
    for module in pkgutil.walk_packages(cchc.__path__, "cchc."):
        name = module.name
        if ".tests" in name or ".migrations" in name:
            continue
        if name.rsplit(".", 1)[-1] in ("forms", "views") or ".forms." in name:
            importlib.import_module(name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {c for c in below(forms.BaseForm) if c.__module__.startswith("cchc.")}


def test_every_date_field_of_every_form_is_typed_dd_mm_yyyy():
    classes = _all_form_classes()
    seen, wrong = 0, []
    for cls in classes:
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.DateTimeField):
                seen += 1
                if not isinstance(field, MomentField) or field.widget.input_type != "text":
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
            elif isinstance(field, forms.DateField):
                seen += 1
                if not isinstance(field, DayField) or field.widget.input_type != "text":
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert seen > 40  # the walk found the forms of every app (plans, registers, reports, …)
    assert wrong == []


@pytest.mark.django_db
def test_a_field_added_at_run_time_too():
    from cchc.org.models import Unit
    from cchc.petitions.forms import PetitionForm

    commune = Unit.objects.create(
        kind=Unit.Kind.COMMUNE, name="UBND xã A", short_name="xã A", slug="a", agency_code="A"
    )
    field = PetitionForm(commune=commune, staff=True).fields["received_at"]
    assert isinstance(field, MomentField)
    assert field.clean("05/04/2025 14:30") == datetime(2025, 4, 5, 14, 30).astimezone()


def test_no_page_uses_the_browsers_date_picker():
    offending = []
    for path in APPS.rglob("*"):
        if path.suffix not in (".html", ".py", ".js") or "tests" in path.parts or "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"""type=["']?date["'\s>]|["']type["']:\s*["']date["']|datetime-local""", text):
            offending.append(str(path.relative_to(APPS)))
    assert offending == []


@pytest.mark.parametrize(
    "typed,day",
    [
        ("05/04/2025", date(2025, 4, 5)),
        ("5/4/2025", date(2025, 4, 5)),
        ("04/05/2025", date(2025, 5, 4)),  # day first: 4 May, never April 5
        ("05-04-2025", date(2025, 4, 5)),
        ("05.04.2025", date(2025, 4, 5)),
        ("2025-04-05", date(2025, 4, 5)),  # ISO, for links and scripts
        (" 29/02/2024 ", date(2024, 2, 29)),
    ],
)
def test_a_day_is_read_day_first(typed, day):
    assert DayField().clean(typed) == day


@pytest.mark.parametrize(
    "typed", ["31/02/2025", "13/13/2025", "05/04/25", "2025/04/05", "hôm nay", "04-2025"]
)
def test_a_bad_day_gets_a_vietnamese_message_showing_the_format(typed):
    with pytest.raises(forms.ValidationError) as exc:
        DayField().clean(typed)
    assert exc.value.messages == [DAY_INVALID]
    assert DAY_INVALID == "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy (ví dụ 05/04/2025)."


def test_a_bad_moment_too():
    with pytest.raises(forms.ValidationError) as exc:
        MomentField().clean("31/02/2025 10:00")
    assert exc.value.messages == [MOMENT_INVALID]


def test_the_input_is_plain_text_showing_dd_mm_yyyy():
    html = DayInput(attrs={"class": "form-control"}).render("on", date(2025, 2, 12))
    assert 'type="text"' in html and 'value="12/02/2025"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'class="form-control"' in html
    moment = MomentField().widget.render("at", datetime(2025, 2, 12, 9, 5))
    assert 'value="12/02/2025 09:05"' in moment


def test_the_template_tag_renders_the_same_input():
    html = Template('{% load cchc_ui %}{% day_input "issued_on" day id="x-"|add:"a" required=True %}').render(
        Context({"day": date(2025, 9, 2)})
    )
    assert 'type="text"' in html and 'name="issued_on"' in html and 'id="x-a"' in html
    assert 'value="02/09/2025"' in html and "required" in html
    typed = Template('{% load cchc_ui %}{% day_input "on" v %}').render(Context({"v": "31/02/2025"}))
    assert 'value="31/02/2025"' in typed  # a refused entry is shown back as typed


class DatesInPagesTests(BaseTestCase):
    def test_the_calendar_takes_a_day_dd_mm_yyyy_and_refuses_a_bad_one(self):
        self.login(self.admin)
        page = self.client.get(reverse("calendar"))
        self.assertContains(page, 'placeholder="dd/mm/yyyy"')
        self.assertNotContains(page, 'type="date"')
        self.assertNotContains(page, "datetime-local")
        response = self.client.post(
            reverse("calendar_override_add"),
            {"date": "02/09/2030", "kind": "off", "reason": "Nghỉ bù"},
            follow=True,
        )
        self.assertContains(response, "Đã thêm điều chỉnh ngày 02/09/2030.")
        self.assertEqual(CalendarOverride.objects.get().date, date(2030, 9, 2))
        bad = self.client.post(
            reverse("calendar_override_add"),
            {"date": "31/02/2030", "kind": "off", "reason": "Nghỉ"},
            follow=True,
        )
        self.assertContains(bad, DAY_INVALID)
        self.assertEqual(CalendarOverride.objects.count(), 1)

    def test_the_due_date_calculator_takes_a_moment_dd_mm_yyyy_hh_mm(self):
        self.login(self.motcua)
        page = self.client.get(
            reverse("calendar"), {"start": "08/03/2024 15:01", "amount": "0", "unit": "same_day"}
        )
        self.assertContains(page, "11/03/2024")
        self.assertContains(page, 'value="08/03/2024 15:01"')
        bad = self.client.get(
            reverse("calendar"), {"start": "03/08/2024 25:00", "amount": "1", "unit": "days"}
        )
        self.assertContains(bad, MOMENT_INVALID)

    def test_a_filter_reads_dd_mm_yyyy_and_shows_it_back(self):
        self.login(self.admin)
        AuditLog.objects.all().delete()
        page = self.client.get(reverse("audit_log"), {"since": "01/01/2099"})
        self.assertContains(page, 'value="01/01/2099"')
        self.assertEqual(list(page.context["page"]), [])
        bad = self.client.get(reverse("audit_log"), {"since": "01/13/2099"})
        self.assertContains(bad, DAY_INVALID)
