import pytest

from kefu.chat.models import Widget
from kefu.presence.models import State
from kefu.presence.services import CapacityInput, set_capacity, set_state


def make_widget(world, **kwargs) -> Widget:
    fields = {"name": "官网客服", "team": world.team_a, "assistant": False,
              "allowed_origins": "https://www.example.com", **kwargs}
    return Widget.objects.create(**fields)


def available(user, *, capacity: int = 3, skills=None, now=None):
    """Put an agent on chat duty with `capacity` chats at a time."""
    set_capacity(actor=None, user_id=user.pk, data=CapacityInput(chat_capacity=capacity, skills=skills or []), now=now)
    return set_state(actor=user, user_id=user.pk, state=State.AVAILABLE, now=now)


@pytest.fixture
def widget(world):
    return make_widget(world)
