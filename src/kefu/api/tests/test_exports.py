"""Every CSV export neutralises formulas: a title or name typed as a formula is shown as text."""

import csv
from io import StringIO

import pytest

pytestmark = pytest.mark.django_db


def test_ticket_export_shows_a_formula_title_as_text(api, world):
    world.ticket(by=world.agent, title='=HYPERLINK("http://evil.example","click")')
    api.as_user(world, world.lead)
    response = api.get("/tickets/export.csv")
    rows = list(csv.reader(StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    titles = [row[2] for row in rows[1:]]
    assert titles == ['\'=HYPERLINK("http://evil.example","click")']
