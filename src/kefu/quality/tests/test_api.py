"""The quality API: queue, scoring, appeal, decision, transcripts, word lists — and refusals that change nothing."""

from datetime import date, timedelta

from kefu.audit.models import AuditEntry
from kefu.quality import services
from kefu.quality.models import Contact, Evaluation
from kefu.quality.tests.conftest import GOOD, NOV, conversation


def _contact(world):
    conversation(world, lines=GOOD)
    services.sample_month(actor=None, month=date(2026, 11, 1))
    return Contact.objects.get()


def test_score_appeal_and_decide_through_the_api(api, world, plans):
    contact = _contact(world)
    queue = api.as_user(world, world.qa).call("get", "/quality/queue?month=2026-11").json()
    assert [s["contact"]["id"] for s in queue] == [contact.pk]
    detail = api.call("get", f"/quality/contacts/{contact.pk}").json()
    assert [line["speaker"] for line in detail["lines"]] == ["customer", "agent", "agent"]
    response = api.call("post", f"/quality/contacts/{contact.pk}/evaluation",
                        {"deductions": {"closing": 5}, "comments": [{"text": "再见前未致谢", "line": 2}]})
    assert response.status_code == 200 and response.json()["score"] == 95
    evaluation_id = response.json()["id"]
    appeal = api.as_user(world, world.agent).call("post", f"/quality/evaluations/{evaluation_id}/appeal",
                                                  {"reason": "已致谢"}).json()
    decided = api.as_user(world, world.supervisor).call("post", f"/quality/appeals/{appeal['id']}/decision",
                                                        {"change": False, "decision": "维持"}).json()
    assert (decided["state"], decided["new_score"]) == ("kept", 95)
    mine = api.as_user(world, world.agent).call("get", "/quality/evaluations").json()
    assert [(e["score"], e["status"]) for e in mine] == [(95, "kept")]
    assert api.as_user(world, world.agent_b).call("get", "/quality/evaluations").json() == []


def test_refusals_name_the_field_and_change_nothing(api, world, plans):
    contact = _contact(world)
    api.as_user(world, world.qa)
    response = api.call("post", f"/quality/contacts/{contact.pk}/evaluation", {"deductions": {"closing": 99}})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid" and response.json()["error"]["field"] == "deductions.closing"
    response = api.as_user(world, world.agent).call("post", f"/quality/contacts/{contact.pk}/evaluation",
                                                    {"deductions": {}})
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_inspector"
    assert api.as_user(world, world.agent_b).call("get", f"/quality/contacts/{contact.pk}").status_code == 404
    assert not Evaluation.objects.exists()
    assert not AuditEntry.objects.filter(target_type="qa_evaluation").exists()


def test_the_word_lists_are_patched_with_a_version(api, world):
    rules = api.as_user(world, world.supervisor).call("get", "/quality/check-rules").json()
    response = api.call("patch", "/quality/check-rules", {"version": rules["version"], "words": {"rude": ["蠢"]}})
    assert response.json()["words"]["rude"] == ["蠢"] and response.json()["words"]["polite"] == rules["words"]["polite"]
    stale = api.call("patch", "/quality/check-rules", {"version": rules["version"], "words": {"rude": []}})
    assert stale.status_code == 409 and api.call("get", "/quality/check-rules").json()["words"]["rude"] == ["蠢"]


def test_the_telephony_system_sends_a_transcript(api, world):
    from kefu.cti.services import CallEvent, report_call_event

    for event, s in (("ringing", 0), ("answered", 2), ("ended", 60)):
        report_call_event(actor=None, data=CallEvent(call_id="X9", event=event, agent_no="1001", caller="13812341234",
                                                     at=NOV + timedelta(seconds=s)))
    response = api.as_user(world, world.admin).call("post", "/quality/call-transcripts", {
        "call_id": "X9", "hold_seconds": 5, "lines": [{"speaker": "agent", "offset": 0, "text": "您好"},
                                                      {"speaker": "robot", "offset": 1, "text": "?"}]})
    assert response.status_code == 422 and response.json()["error"]["field"] == "lines[1].speaker"
    assert api.as_user(world, world.agent).call("post", "/quality/call-transcripts", {
        "call_id": "X9", "lines": []}).status_code == 403


def test_a_scorecard_gets_a_new_version_and_a_bad_total_is_refused(api, world):
    from kefu.quality.defaults import DEFAULT_ITEMS
    from kefu.quality.models import Scorecard

    card = Scorecard.objects.get()
    items = [dict(i) for i in DEFAULT_ITEMS]
    api.as_user(world, world.supervisor)
    items[0]["points"] = 11
    bad = api.call("put", f"/quality/scorecards/{card.pk}", {"name": card.name, "version": card.version,
                                                             "items": items})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "points_not_100"
    items[1]["points"] = 9
    good = api.call("put", f"/quality/scorecards/{card.pk}", {"name": card.name, "version": card.version,
                                                              "items": items}).json()
    assert good["number"] == 2 and good["version"] == card.version + 1
    assert api.as_user(world, world.qa).call("post", "/quality/scorecards", {"name": "x", "items": items}
                                             ).status_code == 403


def test_a_calibration_session_through_the_api(api, world, plans):
    contact = _contact(world)
    refused = api.as_user(world, world.qa).call("post", "/quality/calibrations",
                                                {"title": "十一月", "contact_ids": [contact.pk]})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_supervisor"
    bad = api.as_user(world, world.supervisor).call("post", "/quality/calibrations",
                                                    {"title": " ", "contact_ids": [contact.pk, 999999]})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "title"
    created = api.call("post", "/quality/calibrations", {"title": "十一月", "contact_ids": [contact.pk]}).json()
    session = created["id"]
    assert [row["contact"]["id"] for row in created["contacts"]] == [contact.pk]
    for user, deductions in ((world.qa, {"closing": 10}), (world.lead, {"closing": 4}), (world.supervisor, {})):
        response = api.as_user(world, user).call("post", f"/quality/calibrations/{session}/scores",
                                                  {"contact_id": contact.pk, "deductions": deductions})
        assert response.status_code == 200
    again = api.as_user(world, world.qa).call("post", f"/quality/calibrations/{session}/scores",
                                              {"contact_id": contact.pk, "deductions": {}})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"
    assert api.call("put", f"/quality/calibrations/{session}/references/{contact.pk}", {"score": 96}
                    ).status_code == 403
    row = api.as_user(world, world.supervisor).call(
        "put", f"/quality/calibrations/{session}/references/{contact.pk}", {"score": 96}).json()["contacts"][0]
    # Scores 90, 96, 100: mean 95.3, spread 10; within 3 points of the reference 96 only 96 itself.
    assert sorted(s["score"] for s in row["scores"]) == [90, 96, 100]
    assert (row["mean"], row["spread"], row["reference"]) == (95.3, 10, 96)
    assert abs(row["agreement"] - 1 / 3) < 1e-9
    assert AuditEntry.objects.filter(target_type="qa_calibration", target_id=session).count() == 1
    listed = api.as_user(world, world.qa).call("get", "/quality/calibrations").json()
    assert [(s["id"], s["contact_count"]) for s in listed] == [(session, 1)]
    assert api.call("get", "/quality/calibrations/999999").status_code == 404
    assert api.as_user(world, world.agent).call("get", f"/quality/calibrations/{session}").status_code == 403
    assert api.call("get", "/quality/calibrations").status_code == 403
