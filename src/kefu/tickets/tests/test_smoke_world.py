def test_world_builds_and_agent_creates_ticket(world):
    ticket = world.ticket()
    assert ticket.number.startswith("GD")
    assert ticket.team == world.team_a
    assert ticket.events.get().code == "created"
