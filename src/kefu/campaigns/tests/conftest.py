import pytest

from kefu.campaigns.calllist import CallInput, import_calls
from kefu.campaigns.services import CampaignInput, create_campaign


def campaign_input(**overrides) -> CampaignInput:
    data = {"name": "11月未付款提醒", "purpose": "unpaid_order", "max_attempts": 2, "retry_minutes": 60,
            "script": "您好，请问是{customer_name}吗？我是客服{agent_no}号，您的订单{reference}还未付款。"}
    data.update(overrides)
    return CampaignInput(**data)


@pytest.fixture
def campaign(world):
    return create_campaign(actor=world.supervisor, data=campaign_input())


def add_calls(world, campaign, n: int) -> None:
    import_calls(actor=world.supervisor, campaign_id=campaign.pk,
                 rows=[CallInput(name=f"客户{i}", phone=f"1390000{i:04d}", reference=f"SO{i}") for i in range(n)])
