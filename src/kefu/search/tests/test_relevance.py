"""The relevance set over the demo's scenarios: the right tickets come first for every query."""

import pytest

from kefu.search.relevance import QUERIES, build_corpus, evaluate


def test_relevance_set_has_fifty_chinese_and_english_queries():
    assert len(QUERIES) >= 50
    assert sum(1 for q, _ in QUERIES if q.isascii()) >= 8


@pytest.mark.django_db
def test_every_query_puts_a_relevant_ticket_first_and_precision_at_five_is_high(world):
    results = evaluate(world.supervisor, build_corpus())
    misses = [(r.query, r.top) for r in results if not r.top or r.top[0] not in r.relevant]
    assert misses == []
    mean = sum(r.precision for r in results) / len(results)
    low = [(r.query, r.top, round(r.precision, 2)) for r in results if r.precision < 0.6]
    assert mean >= 0.85, low
