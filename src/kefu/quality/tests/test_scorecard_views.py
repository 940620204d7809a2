"""The scorecard page: the supervisor creates and edits cards through the same service as the API."""

from kefu.audit.models import AuditEntry
from kefu.quality.models import Scorecard, ScorecardVersion


def _rows(*items):
    """Form data for item rows: (code, category, label, points, fatal, order)."""
    data = {"rows": str(len(items) + 1)}
    for i, (code, category, label, points, fatal, order) in enumerate(items):
        data.update({f"code_{i}": code, f"category_{i}": category, f"label_{i}": label, f"points_{i}": points,
                     f"order_{i}": order})
        if fatal:
            data[f"fatal_{i}"] = "on"
    return data


GOOD = (("open", "开场", "开场白", "60", False, "2"), ("leak", "红线", "泄露客户信息", "0", True, "3"),
        ("close", "结束", "结束语", "40", False, "1"))


def _create(client, world, name="热线评分表"):
    client.force_login(world.supervisor)
    return client.post("/quality/scorecards/", {"name": name, **_rows(*GOOD)})


def test_the_supervisor_creates_a_scorecard_in_the_order_asked(client, world):
    response = _create(client, world)
    card = Scorecard.objects.get(name="热线评分表")
    assert response.status_code == 302 and response.url == f"/quality/scorecards/{card.pk}/"
    assert [i["code"] for i in card.current.items] == ["close", "open", "leak"]
    assert card.current.item("leak")["fatal"] is True and card.current.full_score == 100
    page = client.get(response.url)
    assert page.status_code == 200 and "泄露客户信息" in page.content.decode()
    assert AuditEntry.objects.filter(target_type="qa_scorecard", target_id=card.pk).exists()


def test_an_htmx_save_answers_with_a_redirect_header(client, world):
    client.force_login(world.supervisor)
    response = client.post("/quality/scorecards/", {"name": "卡", **_rows(*GOOD)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/quality/scorecards/")


def test_editing_makes_a_new_version_and_keeps_the_old(client, world):
    _create(client, world)
    card = Scorecard.objects.get(name="热线评分表")
    rows = _rows(("open", "开场", "开场白", "50", False, "1"), ("close", "结束", "结束语", "50", False, "2"))
    response = client.post(f"/quality/scorecards/{card.pk}/", {"name": "热线评分表二", "version": card.version, **rows})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.name == "热线评分表二" and card.current.number == 2
    assert [i["points"] for i in card.current.items] == [50, 50]
    assert ScorecardVersion.objects.filter(scorecard=card).count() == 2


def test_bad_input_names_the_field_keeps_the_typing_and_changes_nothing(client, world):
    _create(client, world)
    card = Scorecard.objects.get(name="热线评分表")
    before = (card.version, ScorecardVersion.objects.count())
    rows = _rows(("open", "开场", "开场白", "70", False, "1"), ("close", "结束", "", "30", False, "2"))
    response = client.post(f"/quality/scorecards/{card.pk}/", {"name": "改名", "version": card.version, **rows})
    assert response.status_code == 422
    assert response.context["error"]["field"] == "items[1].label"
    assert response.context["rows"][1]["errors"]["label"]
    body = response.content.decode()
    assert 'value="改名"' in body and 'value="70"' in body
    points = client.post(f"/quality/scorecards/{card.pk}/", {"name": "改名", "version": card.version,
                                                             **_rows(("open", "开场", "开场白", "90", False, "1"))})
    assert points.status_code == 422 and points.context["error"]["code"] == "points_not_100"
    word = client.post("/quality/scorecards/",
                       {"name": "新卡", **_rows(("open", "开场", "开场白", "many", False, "1"))})
    assert word.status_code == 422 and word.context["error"]["field"] == "items[0].points"
    card.refresh_from_db()
    assert (card.version, ScorecardVersion.objects.count()) == before and card.name == "热线评分表"
    assert not Scorecard.objects.filter(name="新卡").exists()


def test_a_stale_edit_is_refused_with_the_typing_kept(client, world):
    _create(client, world)
    card = Scorecard.objects.get(name="热线评分表")
    stale = card.version
    ok = _rows(("open", "开场", "开场白", "50", False, "1"), ("close", "结束", "结束语", "50", False, "2"))
    assert client.post(f"/quality/scorecards/{card.pk}/", {"name": "甲", "version": stale, **ok}).status_code == 302
    mine = _rows(("open", "开场", "我的开场白", "50", False, "1"), ("close", "结束", "结束语", "50", False, "2"))
    response = client.post(f"/quality/scorecards/{card.pk}/", {"name": "乙", "version": stale, **mine})
    assert response.status_code == 409 and response.context["error"]["code"] == "stale_version"
    body = response.content.decode()
    assert "我的开场白" in body and 'data-field="version"' in body
    card.refresh_from_db()
    assert card.name == "甲" and card.current.number == 2


def test_roles_without_the_right_get_403_and_no_tab(client, world):
    _create(client, world)
    card, count = Scorecard.objects.get(name="热线评分表"), Scorecard.objects.count()
    for user in (world.qa, world.agent, world.lead):
        client.force_login(user)
        assert client.get("/quality/scorecards/").status_code == 403
        assert client.post("/quality/scorecards/", {"name": "x", **_rows(*GOOD)}).status_code == 403
        assert client.get(f"/quality/scorecards/{card.pk}/").status_code == 403
    assert Scorecard.objects.count() == count
    client.force_login(world.qa)
    assert "/quality/scorecards/" not in client.get("/quality/").content.decode()
    client.force_login(world.supervisor)
    assert "/quality/scorecards/" in client.get("/quality/").content.decode()
