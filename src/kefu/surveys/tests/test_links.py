"""Survey links: sent by SMS/email/chat, answered once without login, 404 when guessed, 410 when expired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kefu.core.errors import Conflict, ValidationFailed
from kefu.notify.models import Notification
from kefu.surveys import services
from kefu.surveys.events import SurveyEventCode
from kefu.surveys.models import Invitation, Response
from kefu.surveys.services import answer_invitation, hash_token, send_invitation
from kefu.surveys.tests.conftest import good_answers, ids, questionnaire_input
from kefu.testing import at_once, build_world
from kefu.tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def _send(world, survey, channel="sms", **kwargs):
    ticket = kwargs.pop("ticket", None) or world.ticket(customer_id=world.customer.pk)
    return send_invitation(actor=world.agent, questionnaire_id=survey.pk, ticket_id=ticket.pk, channel=channel,
                           **kwargs)


def test_an_sms_link_is_queued_to_the_contact_phone_and_only_its_hash_is_kept(world, survey, settings):
    settings.PUBLIC_URL = "https://kefu.example.cn"
    invitation = _send(world, survey)
    assert invitation.url == f"https://kefu.example.cn/s/{invitation.token}/"
    assert len(invitation.token) >= 32
    stored = Invitation.objects.get()
    assert stored.token_hash == hash_token(invitation.token) and invitation.token not in stored.token_hash
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    sms = Notification.objects.get(kind="survey_invitation")
    assert (sms.channel, sms.address, sms.ticket_id) == ("sms", "13812341234", stored.ticket_id)
    assert invitation.url in sms.body and "13812341234" not in sms.body
    event = TicketEvent.objects.get(code=SurveyEventCode.SURVEY_SENT)
    assert event.params == {"invitation": stored.pk, "questionnaire": survey.pk, "channel": "sms"}


def test_the_link_lifetime_comes_from_the_setting(world, survey, settings):
    settings.SURVEY_LINK_DAYS = 2
    invitation = _send(world, survey)
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


def test_email_goes_to_the_customers_address_and_chat_sends_nothing(world, survey):
    from kefu.customers.models import ContactPoint

    with pytest.raises(ValidationFailed) as exc:
        _send(world, survey, channel="email")
    assert (exc.value.code, exc.value.field) == ("no_address", "channel")
    assert not Invitation.objects.exists() and not Notification.objects.exists()
    ContactPoint.objects.create(customer=world.customer, kind="email", value="wang@example.cn")
    _send(world, survey, channel="email")
    assert Notification.objects.get().address == "wang@example.cn"
    chat = _send(world, survey, channel="chat")
    assert chat.url and Notification.objects.count() == 1
    with pytest.raises(ValidationFailed) as exc:
        _send(world, survey, channel="fax")
    assert exc.value.field == "channel"


def test_the_public_page_works_without_login_and_is_answered_once(world, survey, client):
    invitation = _send(world, survey)
    page = client.get(f"/s/{invitation.token}/")
    assert page.status_code == 200 and "用户满意度调查表" in page.content.decode()
    form = {f"q_{k}": v for k, v in good_answers(survey).items()}
    bad = client.post(f"/s/{invitation.token}/", {**form, f"q_{ids(survey)[0]}": "9"})
    assert bad.status_code == 422 and not Response.objects.exists()
    assert "field-error" in bad.content.decode()
    done = client.post(f"/s/{invitation.token}/", form)
    assert done.status_code == 200 and 'data-testid="survey-done"' in done.content.decode()
    response = Response.objects.get()
    assert (response.via, response.taken_by, response.csat) == ("link", None, 5)
    assert sorted(Response.objects.get().answers.filter(question_id=ids(survey)[3]).values_list("choice", flat=True)) \
        == ["1", "3"]
    again = client.post(f"/s/{invitation.token}/", form)
    assert again.status_code == 409 and Response.objects.count() == 1
    assert client.get(f"/s/{invitation.token}/").status_code == 200  # a thank-you, not the form
    event = TicketEvent.objects.get(code=SurveyEventCode.SURVEY_ANSWERED)
    assert (event.params["via"], event.actor) == ("link", None)


def test_a_guessed_token_is_404_and_an_expired_link_is_410(world, survey, client):
    assert client.get("/s/not-a-real-token-at-all/").status_code == 404
    old = _send(world, survey, now=timezone.now() - timedelta(days=8))
    expired = client.get(f"/s/{old.token}/")
    assert expired.status_code == 410 and 'data-testid="survey-expired"' in expired.content.decode()
    form = {f"q_{k}": v for k, v in good_answers(survey).items()}
    assert client.post(f"/s/{old.token}/", form).status_code == 410
    assert not Response.objects.exists()


def test_the_claim_holds_even_when_both_submissions_passed_the_first_check(world, survey, monkeypatch):
    invitation = _send(world, survey)
    stale = services.invitation_for_token(invitation.token)  # read before the other submission commits
    answer_invitation(token=invitation.token, answers=good_answers(survey))
    monkeypatch.setattr(services, "invitation_for_token", lambda token, now=None: stale)
    with pytest.raises(Conflict) as exc:
        answer_invitation(token=invitation.token, answers=good_answers(survey, 1))
    assert exc.value.code == "already_answered"
    assert Response.objects.count() == 1 and Response.objects.get().csat == 5


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_of_one_link_store_one_response():
    world = build_world()
    survey = services.create_questionnaire(actor=world.supervisor, data=questionnaire_input())
    invitation = _send(world, survey)
    def submit(csat) -> str:
        try:
            answer_invitation(token=invitation.token, answers=good_answers(survey, csat))
            return "stored"
        except Conflict as exc:
            return exc.code

    outcomes = at_once(submit, [5, 1])
    assert sorted(outcomes) == ["already_answered", "stored"]
    assert Response.objects.count() == 1
    assert TicketEvent.objects.filter(code=SurveyEventCode.SURVEY_ANSWERED).count() == 1
