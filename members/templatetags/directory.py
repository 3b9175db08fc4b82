"""Small forms' fields, built in Python (the directory's filters, the person page's ladder move):
django-bootstrap5 and Django's widget templates render every <option> through an included
template, which made the filter form the largest part of /people/'s time (issue 16). Same
markup, same escaping (format_html), Django's own option logic (the widget's context: selected
values, the errors' aria attributes)."""

from django import forms, template
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import format_html, format_html_join

register = template.Library()


def _select(widget: dict) -> str:
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (str(option["value"]), flatatt(option["attrs"]), option["label"])
            for _group, choices, _index in widget["optgroups"]
            for option in choices
        ),
    )
    return format_html(
        '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
    )


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        value,
        flatatt(widget["attrs"]),
    )


def _control(field: forms.BoundField, widget: forms.Widget, css: str) -> dict:
    attrs = field.build_widget_attrs({"class": css}, widget)
    attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


@register.simple_tag
def compact_field(field: forms.BoundField) -> str:
    """One field of a small form (the directory's filters, the ladder move) as
    django-bootstrap5's `bootstrap_field size="sm"` writes it: label, control, its errors.
    Selects (ungrouped choices) and text-like inputs render here in Python; other widgets
    through Django's own template."""
    widget = field.field.widget
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        control = _select(_control(field, widget, "form-select form-select-sm"))
    elif isinstance(widget, Input) and widget.input_type not in ("checkbox", "radio"):
        control = _input(_control(field, widget, "form-control form-control-sm"))
    else:
        control = field.as_widget(attrs={"class": "form-control form-control-sm"})
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="w-100">{}</div>',
            field.auto_id,
            format_html_join(
                "", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors)
            ),
        )
    return format_html(
        '<div class="mb-3"><label class="form-label" for="{}">{}</label>{}{}</div>',
        field.id_for_label,
        field.label,
        control,
        errors,
    )
