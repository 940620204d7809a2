"""The thesaurus and the domain dictionaries: edited by the information desk, rebuilt in the background."""

import pytest

from kefu.core.errors import Conflict, Forbidden, ValidationFailed
from kefu.search import vocabulary, warm_up
from kefu.search.models import ReindexJob, Vocabulary
from kefu.search.selectors import search
from kefu.search.services import request_reindex, run_reindex, save_vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    vocabulary.invalidate()
    yield
    vocabulary.invalidate()


def test_a_new_synonym_group_is_used_at_once_and_the_rebuild_reports_progress(world):
    ticket = world.ticket(title="燃气表走字太快")
    assert not any("走字" in r for h in search(world.agent, "跑字").hits for r in h.reasons)
    row, job = save_vocabulary(actor=world.info_desk, list="thesaurus", text="走字 跑字 转得快", version=0)
    assert (row.version, job.status) == (1, ReindexJob.Status.QUEUED)
    vocabulary.invalidate()
    page = search(world.agent, "跑字")
    assert [h.object_id for h in page.hits] == [ticket.pk] and any("走字" in r for r in page.hits[0].reasons)
    done = run_reindex(job.pk, batch=1)
    assert done.status == ReindexJob.Status.DONE and done.done == done.total >= 2 and done.finished_at
    assert run_reindex(job.pk) is None  # claimed once


def test_a_domain_word_gives_a_single_character_its_sense_after_the_rebuild(world):
    moody = world.ticket(title="师傅态度不好，客户很烦")
    boiler = world.ticket(title="壁挂炉报故障码，锅炉烦琐维护")
    _row, job = save_vocabulary(actor=world.info_desk, list="domain", industry="gas", text="锅炉\n烦琐维护",
                                version=0)
    run_reindex(job.pk)
    assert [h.object_id for h in search(world.agent, "烦").hits][:1] == [boiler.pk]
    assert moody.pk in [h.object_id for h in search(world.agent, "烦").hits]


def test_a_rebuild_waiting_to_start_is_reused(world):
    first = request_reindex(actor=world.info_desk)
    assert request_reindex(actor=world.lead).pk == first.pk


def test_agents_cannot_change_the_vocabulary_and_nothing_changes(world):
    with pytest.raises(Forbidden) as refused:
        save_vocabulary(actor=world.agent, list="thesaurus", text="甲 乙", version=0)
    assert refused.value.code == "cannot_edit_vocabulary"
    assert not Vocabulary.objects.exists() and not ReindexJob.objects.exists()


def test_every_bad_line_is_reported_at_once_and_nothing_changes(world):
    with pytest.raises(ValidationFailed) as refused:
        save_vocabulary(actor=world.info_desk, list="thesaurus", text="孤单\n正常 同义\n" + "长" * 30 + " 短",
                        version=0)
    assert (refused.value.code, refused.value.field) == ("invalid", "text")
    assert len(refused.value.params["errors"]) == 2
    assert not Vocabulary.objects.exists() and not ReindexJob.objects.exists()


def test_a_list_changed_meanwhile_is_refused_with_409(world):
    save_vocabulary(actor=world.info_desk, list="thesaurus", text="甲 乙", version=0)
    with pytest.raises(Conflict):
        save_vocabulary(actor=world.lead, list="thesaurus", text="丙 丁", version=0)
    assert Vocabulary.objects.get().text == "甲 乙"


def test_warm_up_loads_the_segmenter_once_and_reads_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        warm_up()
        warm_up()


def test_vocabulary_api_lists_saves_and_reports_the_rebuild(world, api):
    client = api.as_user(world, world.info_desk)
    lists = client.get("/search/vocabulary").json()
    assert [(v["list"], v["industry"]) for v in lists][:2] == [("thesaurus", ""), ("domain", "general")]
    saved = client.put("/search/vocabulary/domain?industry=gas", {"text": "调压箱", "version": 0}).json()
    assert saved["vocabulary"]["version"] == 1 and saved["reindex"]["status"] == "queued"
    progress = client.get(f"/search/reindex/{saved['reindex']['id']}").json()
    assert progress["id"] == saved["reindex"]["id"]
    refused = api.as_user(world, world.agent).put("/search/vocabulary/thesaurus", {"text": "甲 乙", "version": 1})
    assert refused.status_code == 403 and Vocabulary.objects.get().version == 1


def test_vocabulary_page_shows_the_lists_and_the_rebuild_to_the_information_desk(world, client,
                                                                                  django_assert_max_num_queries):
    client.force_login(world.info_desk)
    response = client.post("/search/vocabulary/", {"list": "thesaurus", "industry": "", "text": "报修 报障",
                                                   "version": "0"})
    assert response.status_code == 302
    with django_assert_max_num_queries(14):
        page = client.get("/search/vocabulary/").content.decode()
    assert "报修 报障" in page and 'data-testid="reindex"' in page
