"""Sampling, scoring, appeals and calibration through the services."""

from datetime import date, timedelta

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from kefu.cti.services import CallEvent, report_call_event
from kefu.quality import services
from kefu.quality.models import Appeal, Contact, Evaluation, QualityEvent, Sample
from kefu.quality.selectors import calibration_summary
from kefu.quality.services import CommentInput, LineInput
from kefu.quality.tests.conftest import BAD, GOOD, NOV, answer, complaint, conversation

MONTH = date(2026, 11, 1)


def test_sampling_takes_n_random_per_agent_plus_every_check_failure(world, plans):
    for i in range(3):
        conversation(world, lines=GOOD, at=NOV + timedelta(hours=i))
    bad = conversation(world, lines=BAD, at=NOV + timedelta(hours=5))
    conversation(world, by=world.agent_b, lines=GOOD)
    result = services.sample_month(actor=None, month=MONTH, seed="t")
    assert result["contacts"] == 5
    samples = {s.contact.ref: s.reasons for s in Sample.objects.select_related("contact")}
    assert samples[str(bad.pk)] == ["auto_check"]
    random_a = [r for ref, r in samples.items() if r == ["random"] and ref != str(bad.pk)]
    assert len(random_a) == 2  # one for agent, one for agent_b
    assert services.sample_month(actor=None, month=MONTH, seed="t")["sampled"] == 0  # again: nothing new
    assert QualityEvent.objects.filter(code="sampled").count() == 3


def test_a_complaint_and_a_low_survey_are_always_sampled(world, plans, survey):
    complaint(world, lines=GOOD)
    for i in range(3):
        conversation(world, lines=GOOD, at=NOV + timedelta(hours=i))
    low = conversation(world, lines=GOOD, at=NOV + timedelta(hours=4))
    answer(world, survey, low, 2)
    services.sample_month(actor=None, month=MONTH)
    assert Sample.objects.get(contact__is_complaint=True).reasons == ["complaint"]
    assert Sample.objects.get(contact__ref=str(low.pk)).reasons == ["low_survey"]
    assert Sample.objects.filter(reasons=["random"]).count() == 1


def _contact(world, lines=GOOD, by=None):
    ticket = conversation(world, by=by, lines=lines)
    services.sample_month(actor=None, month=MONTH)
    return Contact.objects.get(source="ticket", ref=str(ticket.pk))


def test_an_inspector_scores_a_contact_with_deductions_and_comments(world, plans):
    contact = _contact(world)
    evaluation = services.score_contact(actor=world.qa, contact_id=contact.pk, deductions={"closing": 5,
                                        "accuracy": 8}, comments=[CommentInput(text="结束语不完整", line=2)])
    assert evaluation.score == 87 and evaluation.card.number == 1
    assert evaluation.comments.get().line == 2
    assert Sample.objects.get(contact=contact).state == "scored"
    assert AuditEntry.objects.filter(target_type="qa_evaluation", target_id=str(evaluation.pk),
                                     params__op="scored").exists()


def test_a_fatal_item_zeroes_the_score(world, plans):
    contact = _contact(world)
    evaluation = services.score_contact(actor=world.qa, contact_id=contact.pk, deductions={}, fatal=["abuse"])
    assert evaluation.score == 0


def test_nobody_scores_their_own_contact_and_nothing_changes(world, plans):
    contact = _contact(world, by=world.lead)
    with pytest.raises(Forbidden) as exc:
        services.score_contact(actor=world.lead, contact_id=contact.pk, deductions={})
    assert exc.value.code == "own_contact" and not Evaluation.objects.exists()


def test_deducting_more_than_an_item_is_worth_is_refused_naming_the_item(world, plans):
    contact = _contact(world)
    with pytest.raises(ValidationFailed) as exc:
        services.score_contact(actor=world.qa, contact_id=contact.pk, deductions={"closing": 11})
    assert (exc.value.code, exc.value.field) == ("invalid", "deductions.closing")
    assert not Evaluation.objects.exists() and Sample.objects.get(contact=contact).state == "pending"


def test_a_contact_is_scored_once(world, plans):
    contact = _contact(world)
    services.score_contact(actor=world.qa, contact_id=contact.pk, deductions={})
    with pytest.raises(Conflict) as exc:
        services.score_contact(actor=world.supervisor, contact_id=contact.pk, deductions={"closing": 1})
    assert exc.value.code == "already_scored"


def test_an_agent_may_not_score_and_a_team_lead_sees_only_his_team(world, plans):
    contact = _contact(world, by=world.agent_b)
    with pytest.raises(Forbidden):
        services.score_contact(actor=world.agent, contact_id=contact.pk, deductions={})
    with pytest.raises(NotFound):
        services.score_contact(actor=world.lead, contact_id=contact.pk, deductions={})


def test_a_scorecard_change_makes_a_new_version_and_old_evaluations_keep_theirs(world, plans):
    from kefu.quality.defaults import DEFAULT_ITEMS
    from kefu.quality.models import Scorecard

    contact = _contact(world)
    old = services.score_contact(actor=world.qa, contact_id=contact.pk, deductions={"talk_time": 10})
    card = Scorecard.objects.get()
    items = [services.ItemInput(**{k: v for k, v in i.items()}) for i in DEFAULT_ITEMS]
    items[0].points, items[1].points = 15, 5
    services.save_scorecard(actor=world.supervisor, scorecard_id=card.pk, name=card.name, items=items,
                            version=card.version)
    card.refresh_from_db()
    assert card.current.number == 2 and card.current.item("opening")["points"] == 15
    old.refresh_from_db()
    assert old.card.number == 1 and old.card.item("opening")["points"] == 10


def test_the_agent_appeals_and_the_supervisor_changes_the_score_audited(world, plans):
    contact = _contact(world)
    evaluation = services.score_contact(actor=world.qa, contact_id=contact.pk, deductions={"accuracy": 20})
    with pytest.raises(NotFound):
        services.file_appeal(actor=world.agent_b, evaluation_id=evaluation.pk, reason="不对")
    appeal = services.file_appeal(actor=world.agent, evaluation_id=evaluation.pk, reason="答复是正确的，见知识库")
    with pytest.raises(Conflict):
        services.file_appeal(actor=world.agent, evaluation_id=evaluation.pk, reason="again")
    with pytest.raises(Forbidden):
        services.decide_appeal(actor=world.qa, appeal_id=appeal.pk, change=False, decision="x")
    services.decide_appeal(actor=world.supervisor, appeal_id=appeal.pk, change=True, decision="核实答复正确",
                           deductions={"accuracy": 5})
    evaluation.refresh_from_db()
    assert (evaluation.score, evaluation.status) == (95, "changed")
    appeal = Appeal.objects.get()
    assert (appeal.old_score, appeal.new_score, appeal.state) == (80, 95, "changed")
    entry = AuditEntry.objects.get(params__op="appeal_decided")
    assert entry.params["from"] == 80 and entry.params["to"] == 95
    with pytest.raises(Conflict):
        services.decide_appeal(actor=world.supervisor, appeal_id=appeal.pk, change=False, decision="再次")


def test_calibration_shows_spread_agreement_and_deviation_from_the_reference(world, plans):
    contact = _contact(world)
    session = services.create_calibration(actor=world.supervisor, title="十一月校准", contact_ids=[contact.pk])
    services.calibrate(actor=world.qa, calibration_id=session.pk, contact_id=contact.pk, deductions={"closing": 10})
    services.calibrate(actor=world.lead, calibration_id=session.pk, contact_id=contact.pk, deductions={"closing": 4})
    services.calibrate(actor=world.supervisor, calibration_id=session.pk, contact_id=contact.pk, deductions={})
    session = services.set_reference(actor=world.supervisor, calibration_id=session.pk, contact_id=contact.pk,
                                     score=95)
    row = calibration_summary(session)["contacts"][0]
    assert row["scores"] == [90, 96, 100] and row["spread"] == 10 and row["mean"] == 95.3
    assert row["reference"] == 95 and row["agreement"] == 1 / 3  # only 96 is within 3 points of the reference
    assert not Evaluation.objects.exists()


def test_a_call_transcript_is_checked_and_becomes_a_contact(world, plans):
    start = NOV
    for event, seconds in (("ringing", 0), ("answered", 5), ("ended", 400)):
        report_call_event(actor=None, data=CallEvent(call_id="C1", event=event, agent_no="1001",
                                                     caller="13812341234", at=start + timedelta(seconds=seconds),
                                                     recording="rec/C1.wav"))
    services.record_call_transcript(actor=None, call_id="C1", hold_seconds=70, lines=[
        LineInput("agent", 0, "您好，很高兴为您服务"), LineInput("customer", 5, "没气了"),
        LineInput("agent", 380, "再见")])
    services.sample_month(actor=None, month=MONTH)
    contact = Contact.objects.get(source="call")
    assert contact.agent_id == world.agent.pk and contact.channel == "phone"
    assert {"long_talk", "long_hold", "long_silence"} <= set(contact.checks["failed"])
    assert "auto_check" in contact.sample.reasons
