"""Checks of ticket input shared by create and update: type, custom fields, phone, choices."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from kefu.core.configcache import ConfigCache
from kefu.core.errors import ValidationFailed
from kefu.core.pii import normalize_phone
from kefu.core.text import clean_display
from kefu.tickets.lifecycle import Channel, Priority
from kefu.tickets.models import TicketField, TicketType

MAX_TITLE = 200
MAX_TEXT = 20_000
# Choices.values builds a new list on every access; these are checked on every ticket created.
_CHANNELS = tuple(Channel.values)
_PRIORITIES = tuple(Priority.values)


def _load_types() -> dict:
    types = list(TicketType.objects.filter(active=True).prefetch_related("fields"))
    return {**{t.code: t for t in types}, **{t.pk: t for t in types}}


# Types are read on every ticket created or retyped; they change only in the admin.
_types = ConfigCache("ticket-types", _load_types, (TicketType, TicketField))


def active_types() -> list[TicketType]:
    """Every active type by code, from the same per-process cache (the queue's filter bar, on every list)."""
    return sorted((t for key, t in _types.get().items() if isinstance(key, str)), key=lambda t: t.code)


def type_fields(ticket_type: TicketType) -> list[TicketField]:
    """The custom fields of a type, from the type cache when the type is active (the ticket page, every view)."""
    cached = _types.get().get(ticket_type.pk)
    return list((cached or ticket_type).fields.all())


def resolve_type(code_or_id) -> TicketType:
    """The active ticket type named by code (or numeric id), else an unknown_type error."""
    if isinstance(code_or_id, str) and code_or_id.isdigit():
        code_or_id = int(code_or_id)
    found = _types.get().get(code_or_id) if isinstance(code_or_id, int | str) else None
    if found is None:
        raise ValidationFailed(_("Unknown ticket type."), code="unknown_type", field="type")
    return found


def clean_title(value: str) -> str:
    value = clean_display(value)
    if not value:
        raise ValidationFailed(_("This field is required."), code="required", field="title")
    if len(value) > MAX_TITLE:
        raise ValidationFailed(_("The title is longer than 200 characters."), code="too_long", field="title")
    return value


def clean_text(value: str | None, *, field: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationFailed(_("This text is too long."), code="too_long", field=field,
                               params={"limit": limit})
    return value


def clean_channel(value: str) -> str:
    if value not in _CHANNELS:
        raise ValidationFailed(_("Unknown channel."), code="invalid_choice", field="channel")
    return value


def clean_priority(value) -> int:
    if value not in _PRIORITIES:
        raise ValidationFailed(_("Priority is 1 (low) to 4 (urgent)."), code="invalid_choice", field="priority")
    return int(value)


def clean_phone(value: str | None) -> str:
    value = (value or "").strip()
    return normalize_phone(value, field="contact_phone") if value else ""


def _clean_field_value(definition: TicketField, value):
    field = f"custom.{definition.key}"
    kind = definition.kind
    if kind == TicketField.Kind.TEXT:
        return clean_text(str(value), field=field, limit=2000)
    if kind == TicketField.Kind.NUMBER:
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationFailed(_("Enter a number."), code="invalid_number", field=field) from exc
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == TicketField.Kind.DATE:
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ValidationFailed(_("Enter a date as YYYY-MM-DD."), code="invalid_date", field=field) from exc
    if kind == TicketField.Kind.CHOICE:
        if value not in definition.choices:
            raise ValidationFailed(_("Not one of the allowed values."), code="invalid_choice", field=field)
        return value
    if kind == TicketField.Kind.BOOLEAN:
        if not isinstance(value, bool):
            raise ValidationFailed(_("Enter true or false."), code="invalid_boolean", field=field)
        return value
    return value


def clean_custom(ticket_type: TicketType, values: dict | None) -> dict:
    """Validate custom field values against the type's definitions: unknown keys and missing required refused."""
    values = values or {}
    if not isinstance(values, dict):
        raise ValidationFailed(_("Custom fields must be an object."), code="invalid", field="custom")
    definitions = {f.key: f for f in ticket_type.fields.all()}
    for key in values:
        if key not in definitions:
            raise ValidationFailed(_("This ticket type has no such field."), code="unknown_field",
                                   field=f"custom.{key}")
    clean = {}
    for key, definition in definitions.items():
        value = values.get(key)
        if value is None or value == "":
            if definition.required:
                raise ValidationFailed(_("This field is required."), code="required", field=f"custom.{key}")
            continue
        clean[key] = _clean_field_value(definition, value)
    return clean
