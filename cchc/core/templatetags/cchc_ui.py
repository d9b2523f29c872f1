"""Small template helpers shared by every app (load with `{% load cchc_ui %}`)."""

from django import forms, template

register = template.Library()


@register.filter
def bs(bound_field):
    """Render a form field's widget with the Bootstrap class that fits it."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    if bound_field.errors:
        css += " is-invalid"
    attrs = {"class": f"{existing} {css}".strip()}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_help"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def percent(value, digits: int = 2):
    """A number as a Vietnamese percentage: 98.5 → '98,50%'; None → '—'."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):.{int(digits)}f}%".replace(".", ",")
    except (TypeError, ValueError):
        return "—"


@register.filter
def figure(value, fig):
    """A catalogue figure's value as shown: `{{ value|figure:fig }}` → '98,50%',
    '1.234 hồ sơ', 'chưa có dữ liệu' (cchc.core.figures.format_value)."""
    from cchc.core.figures import format_value

    return format_value(value, getattr(fig, "unit", ""))


@register.filter
def number(value):
    """A count or rate without its unit, the Vietnamese way ('1.234', '98,50');
    None → '—'."""
    from cchc.core.figures import format_number

    if value is None:
        return "—"
    return format_number(value, 2 if not isinstance(value, int) else None)


@register.simple_tag
def day_input(name: str, value=None, **attrs):
    """A hand-written day input, dd/mm/yyyy like every form's `DayField` (never the
    browser's date picker): `{% day_input "on" form.data.on id="on" class="form-control" %}`.
    `value` may be a date or the text typed (shown back as typed after an error)."""
    from cchc.core.forms import DayInput

    attrs = {k: v for k, v in attrs.items() if v not in (None, False)}
    if attrs.get("required") is True:
        attrs["required"] = True
    return DayInput(attrs=attrs).render(name, value or None)
