"""PATCH bodies: every field optional, and only the fields a client sends are changed.

A PATCH schema made by copying the create schema carries its defaults, so a field left out would be
reset to the default (a team-only phrase became center-wide). `patch_schema` builds the PATCH body from
the create schema with no defaults to fall back on, and `merged` lays the sent fields over the object's
current values, so the service still receives one complete, validated input.
"""

from typing import Any

from ninja import Schema
from pydantic import Field, create_model


def patch_schema(base: type[Schema], name: str) -> type[Schema]:
    """`version` plus every field of `base`, none of them required; a field left out keeps its value."""
    fields: dict[str, Any] = {
        field_name: (info.annotation, Field(None, description=info.description or "Left out: unchanged.",
                                            json_schema_extra=info.json_schema_extra))  # an enum stays
        for field_name, info in base.model_fields.items()
    }
    return create_model(name, __base__=Schema, __doc__=f"Only the fields sent are changed ({base.__name__}).",
                        version=(int, ...), **fields)


def sent(payload: Schema) -> dict:
    """The fields the client actually sent, without `version`."""
    return payload.dict(exclude_unset=True, exclude={"version"})


def merged(current: dict, payload: Schema) -> dict:
    """The object's current values with the sent fields laid over them."""
    return {**current, **sent(payload)}
