"""Reading a setup document: a mapping of sections, each a list of objects; YAML or JSON text.

Errors are collected, never raised one at a time, so an administrator fixes a whole file in one go.
"""

import json
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

# The order the sections are applied in: each may refer to objects of the sections before it.
SECTIONS = ("departments", "teams", "calendars", "ticket_types", "sla_policies", "callback_rules")


@dataclass
class Problems:
    """Field errors gathered while reading or applying a document."""

    items: list[dict] = field(default_factory=list)

    def add(self, path: str, code: str, message) -> None:
        self.items.append({"field": path, "code": code, "message": str(message)})

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            raise ValidationFailed(
                _("The setup has %(count)d problem(s); nothing was changed.") % {"count": len(self.items)},
                code="invalid_setup", field=first["field"], params={"errors": self.items})


def parse_text(text: str) -> dict:
    """YAML (which includes JSON) into a document; anything that is not a mapping of sections is refused."""
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
        raise ValidationFailed(_("The file is neither valid YAML nor valid JSON."), code="malformed_document",
                               field="document", params=where) from exc
    return check_shape(data)


def check_shape(data) -> dict:
    """The document's outer shape: known sections, each a list of mappings."""
    problems = Problems()
    if not isinstance(data, dict):
        problems.add("document", "invalid_type", _("The setup must be a mapping of sections."))
        problems.raise_if_any()
    for name, items in data.items():
        if name not in SECTIONS:
            problems.add(str(name), "unknown_field",
                         _("Unknown section; use one of: %(names)s.") % {"names": ", ".join(SECTIONS)})
        elif not isinstance(items, list):
            problems.add(name, "invalid_type", _("A section is a list of objects."))
        else:
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    problems.add(f"{name}[{i}]", "invalid_type", _("Each entry is an object."))
    problems.raise_if_any()
    return data


def render(document: dict, fmt: str) -> str:
    """The document as YAML (for people to review in code) or JSON."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False)
