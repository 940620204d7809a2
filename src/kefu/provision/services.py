"""Setting a center up from a document, and writing the current setup out as one (center as code).

`apply_setup` is the one write path for the document: the API, the setup page and `kefu center apply` call
it. It checks the whole document before anything stays written — every problem is reported at once with
its path (`sla_policies[2].rungs[0].team`) and nothing changes — and each object it creates or changes is
audited like a change in the admin. `dry_run` answers the same plan and rolls everything back.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import User
from kefu.audit.models import AuditAction
from kefu.audit.services import record
from kefu.core.errors import Forbidden
from kefu.provision import children
from kefu.provision.document import SECTIONS as ORDER
from kefu.provision.document import Problems, check_shape
from kefu.provision.sections import SECTIONS, Section


@dataclass
class Plan:
    """What applying a document does: counts per section and one line per object created or changed."""

    counts: dict = field(default_factory=lambda: {name: {"created": 0, "changed": 0, "unchanged": 0}
                                                  for name in ORDER})
    changes: list[dict] = field(default_factory=list)
    applied: bool = False

    def as_dict(self) -> dict:
        return {"applied": self.applied, "counts": self.counts, "changes": self.changes}


def require_admin(actor: User | None) -> None:
    # actor=None is the operator of the machine at the command line, who is trusted.
    if actor is not None and not actor.can_administer():
        raise Forbidden(_("Only an administrator can set up the center."), code="not_admin")


def export_setup(*, actor: User | None) -> dict:
    """The center's setup as a document that `apply_setup` takes back unchanged."""
    require_admin(actor)
    document = {}
    for name in ORDER:
        section = SECTIONS[name]
        rows = []
        for obj in section.model.objects.order_by(*section.order_by):
            item = section.export_one(obj)
            for child in section.children:
                item[child] = children.export_children(child, obj)
            rows.append(item)
        document[name] = rows
    return document


def apply_setup(*, actor: User | None, document, dry_run: bool = False) -> Plan:
    """Create or change what the document describes; all of it or, on any problem, nothing."""
    require_admin(actor)
    check_shape(document)
    problems, plan = Problems(), Plan()
    with transaction.atomic():
        for name in ORDER:
            for index, item in enumerate(document.get(name) or []):
                _apply_item(SECTIONS[name], f"{name}[{index}]", item, actor, problems, plan)
        problems.raise_if_any()
        if dry_run:
            transaction.set_rollback(True)
    plan.applied = not dry_run
    return plan


def _apply_item(section: Section, path: str, item: dict, actor, problems: Problems, plan: Plan) -> None:
    """One object: resolve its references, check it as the model does, then create, change or leave it."""
    before_count = len(problems.items)

    def add(name: str, code: str, message) -> None:
        problems.add(f"{path}.{name}", code, message)

    for key in sorted(set(item) - section.allowed(), key=str):
        add(key, "unknown_field", _("Unknown field."))
    values = {k: item[k] for k in section.plain if k in item}
    for key, ref in section.refs.items():
        if key not in item:
            continue
        text = item[key]
        target = ref.find(str(text)) if text not in (None, "") else None
        if target is None and not (ref.empty and text in (None, "")):
            add(key, ref.code, ref.message)
        values[ref.attr] = target
    for key in section.key:
        if key not in section.refs and key not in section.plain:
            values[key] = item.get(key)
    if section.check:
        section.check(values, add)
    if len(problems.items) > before_count:
        return
    obj = section.lookup(values) or section.model()
    created = obj.pk is None
    snapshot = _snapshot(obj, section)
    for key, value in values.items():
        setattr(obj, key, value)
    try:
        obj.full_clean()
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            for message in errors:
                add(name if name != "__all__" else section.key[-1], "invalid", message)
        return
    changed = sorted(k for k, v in _snapshot(obj, section).items() if v != snapshot.get(k))
    if created or changed:
        obj.save()
    for child in section.children:
        if child in item and children.CHILDREN[child](obj, item[child], f"{path}.{child}", problems.add,
                                                      actor=actor):
            changed.append(child)
    key_text = _key_text(section, obj)
    if created or changed:
        op = "create" if created else "change"
        plan.counts[section.name]["created" if created else "changed"] += 1
        plan.changes.append({"section": section.name, "key": key_text, "op": op, "fields": changed})
        record(actor=actor, action=AuditAction.CONFIG_CHANGED, target_type=obj._meta.model_name,
               target_id=obj.pk, params={"op": op, "fields": changed, "via": "setup"})
    else:
        plan.counts[section.name]["unchanged"] += 1


def _snapshot(obj, section: Section) -> dict:
    names = [*section.plain, *(r.attr + "_id" for r in section.refs.values()),
             *(k for k in section.key if k not in section.refs)]
    return {name: getattr(obj, name, None) for name in names}


def _key_text(section: Section, obj) -> str:
    exported = section.export_one(obj)
    return "/".join(str(exported[k]) if exported[k] not in (None, "") else "*" for k in section.key)
