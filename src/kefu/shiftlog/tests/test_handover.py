"""The handover sheet: prepared from open work, every item passed to a named person, acknowledged, escalated."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from kefu.core.errors import NotFound, ValidationFailed
from kefu.notify.models import Notification
from kefu.shiftlog import services
from kefu.shiftlog.models import Handover, HandoverItem

NOW = timezone.make_aware(datetime(2026, 11, 2, 16, 50))


def test_sheet_passed_item_by_item_acknowledged_and_escalated(world, django_capture_on_commit_callbacks):
    sheet = services.prepare_handover(actor=world.agent, now=NOW)
    assert services.prepare_handover(actor=world.agent, now=NOW).pk == sheet.pk  # one draft at a time
    sheet = services.edit_handover(actor=world.agent, handover_id=sheet.pk, version=sheet.version, notes="打印机卡纸",
                                   add=[{"kind": "promise", "text": "答应王先生10点回电"},
                                        {"kind": "equipment", "text": "3号座席耳机坏了", "to_user": world.handler.pk}])
    with pytest.raises(ValidationFailed) as err:
        services.pass_handover(actor=world.agent, handover_id=sheet.pk, version=sheet.version, now=NOW)
    assert err.value.code == "item_unassigned" and len(err.value.params["items"]) == 1
    with pytest.raises(ValidationFailed):
        services.edit_handover(actor=world.agent, handover_id=sheet.pk, version=sheet.version,
                               assign={sheet.items.get(kind="promise").pk: world.agent.pk})  # not to oneself
    promise = sheet.items.get(kind="promise")
    sheet = services.edit_handover(actor=world.agent, handover_id=sheet.pk, version=sheet.version,
                                   assign={promise.pk: world.info_desk.pk})
    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.pass_handover(actor=world.agent, handover_id=sheet.pk, version=sheet.version, now=NOW)
    assert sheet.status == "passed"
    told = set(Notification.objects.filter(kind="handover").values_list("recipient_id", flat=True))
    assert told == {world.handler.pk, world.info_desk.pk}
    with pytest.raises(NotFound):  # only the person it was passed to acknowledges it
        services.acknowledge(actor=world.handler, item_id=promise.pk)
    services.acknowledge(actor=world.info_desk, item_id=promise.pk, now=NOW + timedelta(minutes=5))
    assert services.escalate_unacknowledged(now=NOW + timedelta(minutes=20)) == 0
    assert services.escalate_unacknowledged(now=NOW + timedelta(minutes=40)) == 1  # the headset, to the lead
    assert services.escalate_unacknowledged(now=NOW + timedelta(minutes=50)) == 0  # once only
    assert Notification.objects.filter(kind="handover_escalation", recipient=world.lead).count() == 1
    assert {h.pk for h in Handover.objects.visible_to(world.agent_b)} == set()
    assert {h.pk for h in Handover.objects.visible_to(world.handler)} == {sheet.pk}
    assert HandoverItem.objects.get(pk=promise.pk).acknowledged_at is not None


def test_handover_page_prepare_and_acknowledge(world, client):
    client.force_login(world.agent)
    assert client.post("/shift/handover/do/prepare/").status_code == 302
    sheet = Handover.objects.get()
    page = client.get("/shift/handover/").content.decode()
    assert 'data-testid="sheet"' in page
    done = client.post("/shift/handover/do/save/", {"handover": sheet.pk, "version": sheet.version,
                                                    "new_kind": "note", "new_text": "系统慢",
                                                    "new_to": world.handler.pk, "notes": "", "then": "pass"})
    assert done.status_code == 302 and Handover.objects.get().status == "passed"
    client.force_login(world.handler)
    item = HandoverItem.objects.get()
    assert "系统慢" in client.get("/shift/handover/").content.decode()
    assert client.post("/shift/handover/do/ack/", {"item": item.pk}).status_code == 302
    assert HandoverItem.objects.get().acknowledged_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_edits_of_one_version_keep_one_and_refuse_the_other_with_409():
    from kefu.core.errors import Conflict
    from kefu.testing import at_once, build_world

    world = build_world()
    sheet = services.prepare_handover(actor=world.agent, now=NOW)

    def edit(notes):
        try:
            return services.edit_handover(actor=world.agent, handover_id=sheet.pk, version=sheet.version,
                                          notes=notes).notes
        except Conflict as exc:
            return exc.code

    results = at_once(edit, ["打印机卡纸", "系统登录慢"])
    assert sorted(results, key=str).count("stale_version") == 1
    kept = Handover.objects.get(pk=sheet.pk)
    assert kept.version == sheet.version + 1 and kept.notes in ("打印机卡纸", "系统登录慢") and kept.notes in results
