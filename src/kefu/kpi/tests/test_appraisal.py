"""The appraisal and the bonus split on the hand-computed month, and the star board."""

from decimal import Decimal
from fractions import Fraction

import pytest

from kefu.audit.models import AuditEntry
from kefu.core.errors import Forbidden
from kefu.kpi import appraisal, stars
from kefu.kpi.appraisal import ItemInput, item_points, split_pool
from kefu.kpi.models import AppraisalResult, KpiSettings
from kefu.kpi.tests.conftest import MONTH, at


def test_item_points_are_clamped_between_floor_and_target_either_way():
    item = {"weight": 50, "floor": 60, "target": 100}
    assert item_points(item, 85) == Fraction(125, 4) and item_points(item, 50) == 0 and item_points(item, 120) == 50
    lower_better = {"weight": 20, "floor": 300, "target": 120}
    assert item_points(lower_better, 150) == Fraction(50, 3) and item_points(lower_better, 60) == 20
    assert item_points(item, None) is None


def test_the_pool_is_split_by_score_in_whole_fen_with_largest_remainders():
    assert split_pool(1000, {1: Decimal(90), 2: Decimal(60), 3: Decimal(30)}, min_score=0, cap_fen=None) == \
        {1: 500, 2: 333, 3: 167}
    assert split_pool(1000, {1: Decimal(90), 2: Decimal(60), 3: Decimal(30)}, min_score=50, cap_fen=None) == \
        {1: 600, 2: 400, 3: 0}


def test_a_capped_share_goes_to_the_others():
    assert split_pool(1000, {1: Decimal(90), 2: Decimal(60), 3: Decimal(30)}, min_score=0, cap_fen=400) == \
        {1: 400, 2: 400, 3: 200}


@pytest.fixture
def rule(world):
    return appraisal.save_rule(actor=world.supervisor, role="agent", name="坐席考核", min_score=60, items=[
        ItemInput("qa", 50, 60, 100), ItemInput("csat", 30, 50, 100), ItemInput("aht", 20, 300, 120)])


def test_the_month_of_each_agent_is_scored_with_its_breakdown(world, month_world, rule):
    appraisal.set_pool(actor=world.supervisor, rule_id=rule.pk, month=MONTH, amount_fen=100000)
    appraisal.compute_appraisal(actor=world.supervisor, month=MONTH, now=at(30, 23))
    mine = AppraisalResult.objects.get(agent=world.agent)
    # qa 85 → 50×25/40 = 31.25; csat 50% → 0; aht 150 s → 20×150/180 = 16.67; total 47.92 of 100
    assert mine.score == Decimal("47.92")
    assert [(i["measure"], i["value"], i["points"]) for i in mine.breakdown] == [
        ("qa", 85, 31.25), ("csat", 50, 0.0), ("aht", 150, 16.67)]
    other = AppraisalResult.objects.get(agent=world.agent_b)
    assert other.score == Decimal("100.00")
    assert (mine.bonus_fen, other.bonus_fen) == (0, 100000)  # below 60: no share
    assert AuditEntry.objects.filter(params__op="appraisal_computed").exists()


def test_a_kpi_without_data_is_left_out_and_the_rest_rescaled(world, month_world):
    appraisal.save_rule(actor=world.supervisor, role="agent", name="坐席考核", items=[
        ItemInput("qa", 50, 60, 100), ItemInput("exams", 50, 0, 100)])
    appraisal.compute_appraisal(actor=None, month=MONTH, now=at(30, 23))
    assert AppraisalResult.objects.get(agent=world.agent).score == Decimal("62.50")  # 31.25 of 50


def test_recomputing_after_a_changed_score_changes_the_result(world, month_world, rule):
    from kefu.quality.models import Evaluation
    from kefu.quality.services import decide_appeal, file_appeal

    appraisal.compute_appraisal(actor=None, month=MONTH, now=at(30, 23))
    evaluation = Evaluation.objects.get(agent=world.agent, score=80)
    appeal = file_appeal(actor=world.agent, evaluation_id=evaluation.pk, reason="答复正确", now=at(27))
    decide_appeal(actor=world.supervisor, appeal_id=appeal.pk, change=True, decision="改为90",
                  deductions={"accuracy": 10}, now=at(28))
    appraisal.compute_appraisal(actor=None, month=MONTH, now=at(30, 23))
    # qa now 90 → 50×30/40 = 37.5; total 37.5 + 0 + 16.67 = 54.17
    assert AppraisalResult.objects.get(agent=world.agent).score == Decimal("54.17")


def test_only_roles_with_the_right_set_pools_and_rules(world, month_world, rule):
    with pytest.raises(Forbidden):
        appraisal.set_pool(actor=world.lead, rule_id=rule.pk, month=MONTH, amount_fen=1)
    with pytest.raises(Forbidden):
        appraisal.compute_appraisal(actor=world.qa, month=MONTH)


def test_agents_see_only_their_own_result_and_team_leads_their_team(world, month_world, rule):
    appraisal.compute_appraisal(actor=None, month=MONTH, now=at(30, 23))
    assert list(AppraisalResult.objects.visible_to(world.agent).values_list("agent", flat=True)) == [world.agent.pk]
    assert set(AppraisalResult.objects.visible_to(world.lead).values_list("agent", flat=True)) == {world.agent.pk}
    assert AppraisalResult.objects.visible_to(world.manager).count() == 2
    assert AppraisalResult.objects.visible_to(world.fieldman).count() == 0


def test_the_excel_export_has_one_row_per_agent(world, month_world, rule):
    from io import BytesIO

    from openpyxl import load_workbook

    from kefu.kpi.export import workbook

    appraisal.set_pool(actor=None, rule_id=rule.pk, month=MONTH, amount_fen=123456)
    appraisal.compute_appraisal(actor=None, month=MONTH, now=at(30, 23))
    sheet = load_workbook(BytesIO(workbook(AppraisalResult.objects.order_by("agent__agent_no")))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "1001" and rows[2][0] == "2001" and rows[2][-1] == 1234.56


def test_the_star_board_names_the_best_of_each_category(world, month_world):
    settings = KpiSettings.current()
    settings.star_min_evaluations = settings.star_min_answers = 1
    settings.save()
    entries = {e["category"]: e for e in stars.compute_stars(MONTH, now=at(30, 23))}
    assert entries["best_qa"]["agent"] == world.agent_b.pk and entries["best_qa"]["value"] == 100
    assert entries["best_csat"]["agent"] == world.agent_b.pk
    assert entries["most_compliments"]["agent"] == world.agent.pk
    assert "most_improved" not in entries  # nobody was evaluated in October


def test_stars_need_the_minimum_number_of_evaluations(world, month_world):
    entries = {e["category"] for e in stars.compute_stars(MONTH, now=at(30, 23))}
    assert "best_qa" not in entries and "best_csat" not in entries


def test_most_improved_compares_with_the_previous_month(world, month_world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    october = datetime(2026, 10, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    old = world.ticket(by=world.agent, now=october, contact_phone="13800000009")
    from kefu.quality.models import Contact
    from kefu.quality.services import harvest_contacts, score_contact

    harvest_contacts(actor=None, start=october.replace(day=1), end=october.replace(day=30), now=october)
    score_contact(actor=world.qa, contact_id=Contact.objects.get(ref=str(old.pk)).pk, deductions={"accuracy": 20},
                  now=october)
    improved = {e["category"]: e for e in stars.compute_stars(MONTH, now=at(30, 23))}["most_improved"]
    assert (improved["agent"], improved["value"], improved["from"], improved["to"]) == (world.agent.pk, 5, 80, 85)


def test_publishing_keeps_the_board_and_an_agent_may_not_publish(world, month_world):
    board = stars.publish_stars(actor=world.info_desk, month=MONTH, now=at(30, 23))
    assert board.published_by == world.info_desk
    with pytest.raises(Forbidden):
        stars.publish_stars(actor=world.agent, month=MONTH)
