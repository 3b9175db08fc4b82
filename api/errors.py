"""Errors in Action Network's shape: `{"error": "…"}`, with field errors under `errors`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def osdi_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):  # a service refused: the request's fault
        exc = exceptions.ValidationError(exc.messages)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = {"error": str(data["detail"])}
    else:
        response.data = {"error": _("The request is not valid."), "errors": data}
    return response
