"""The relevance set over its own corpus: loading the corpus through the services, and judging a search.

`evaluate` runs every query of kefu.bench.relevance.queries as the given user and reports nDCG@10, MRR and
recall@20 per query kind, and the queries that found nothing. Tests assert floors per kind; `kefu bench search`
prints the same figures.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from kefu.bench.relevance.corpus import ARTICLES, SCENARIOS, TICKETS_PER_SCENARIO, customers
from kefu.bench.relevance.queries import QUERIES


@dataclass
class Corpus:
    """What was loaded: the labels of each (kind, id) and the ticket id of each scenario's n-th ticket."""

    labels: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    tickets: dict[str, int] = field(default_factory=dict)

    def relevant(self, judged: dict[str, int]) -> dict[tuple[str, int], int]:
        """Every document's grade for a query's judgments (the best of its labels)."""
        out = {}
        for key, labels in self.labels.items():
            grade = max((judged.get(label, 0) for label in labels), default=0)
            if grade:
                out[key] = grade
        return out

    def query_text(self, query: str) -> str:
        return re.sub(r"\{t:([a-z_]+:\d+)\}", lambda m: str(self.tickets[m.group(1)]), query)


def _load_customers(actor, corpus: Corpus) -> dict[str, tuple[int, str, str]]:
    from kefu.customers.services import ContactInput, CustomerInput, ReferenceInput, create_customer

    made = {}
    kinds = {"M": "meter", "K": "account", "J": "order", "S": "order", "T": "order", "U": "player"}
    for key, name, industry, phone, address, reference in customers():
        refs = [ReferenceInput(kind=kinds.get(reference[:1], "order"), value=reference)] if reference else []
        customer = create_customer(actor=actor, data=CustomerInput(
            name=name, contacts=[ContactInput(kind="mobile", value=phone, is_primary=True),
                                 ContactInput(kind="address", value=address)], references=refs))
        corpus.labels[("customer", customer.pk)].add(f"c:{key}")
        made.setdefault(industry, []).append((key, customer.pk, phone, reference))
    return made


def _load_tickets(actor, corpus: Corpus, people: dict) -> None:
    from kefu.tickets.services import TicketInput, add_message, create_ticket

    turn = defaultdict(int)
    for code, industry, titles, descriptions, replies in SCENARIOS:
        for n in range(TICKETS_PER_SCENARIO):
            pool = people[industry]
            key, customer_id, phone, reference = pool[turn[industry] % len(pool)]
            turn[industry] += 1
            description = descriptions[n % len(descriptions)] + (f"，单号 {reference}" if reference and n % 2 else "")
            ticket = create_ticket(actor=actor, data=TicketInput(
                type="inquiry", title=titles[n % len(titles)], description=description, customer_id=customer_id,
                contact_phone=re.sub(r"\D", "", phone)[-11:]))
            add_message(actor=actor, ticket_id=ticket.pk, kind="reply", body=replies[n % len(replies)])
            add_message(actor=actor, ticket_id=ticket.pk, kind="note", body="已电话联系客户，按流程处理。")
            corpus.labels[("ticket", ticket.pk)].update({code, f"ct:{key}", f"t:{code}:{n}"})
            corpus.tickets[f"{code}:{n}"] = ticket.pk


def _load_articles(corpus: Corpus) -> None:
    from kefu.knowledge.models import Article
    from kefu.knowledge.services import ArticleInput, create_article, review_article, submit_for_review

    for code, _industry, title, body, public in ARTICLES:
        article = create_article(actor=None, data=ArticleInput(title=title, body=body,
                                                               audience="public" if public else "internal"))
        article = submit_for_review(actor=None, article_id=article.pk, version=article.version)
        review_article(actor=None, article_id=article.pk, version=Article.objects.get(pk=article.pk).version,
                       approve=True)
        corpus.labels[("article", article.pk)].add(code)


def build_corpus(actor) -> Corpus:
    """Customers, tickets with a reply and a note each, and published articles, made through the services as
    the API makes them; then the pending index written, as the worker does just after the commits."""
    from kefu.search.pending import drain

    corpus = Corpus()
    people = _load_customers(actor, corpus)
    _load_tickets(actor, corpus, people)
    _load_articles(corpus)
    drain()
    return corpus


@dataclass
class QueryResult:
    kind: str
    query: str
    ndcg: float
    rr: float
    recall: float
    found: int


def _dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def judge(ranked: list[tuple[str, int]], relevant: dict[tuple[str, int], int]) -> tuple[float, float, float]:
    """nDCG@10, reciprocal rank of the first grade-2 result (else grade 1), recall@20 of graded documents."""
    ideal = _dcg(sorted(relevant.values(), reverse=True)[:10])
    ndcg = _dcg([relevant.get(key, 0) for key in ranked[:10]]) / ideal if ideal else 0.0
    best = max(relevant.values(), default=0)
    rr = next((1 / (i + 1) for i, key in enumerate(ranked) if relevant.get(key, 0) == best), 0.0)
    recall = len([k for k in ranked[:20] if k in relevant]) / len(relevant) if relevant else 0.0
    return ndcg, rr, recall


def evaluate(user, corpus: Corpus, queries=QUERIES) -> list[QueryResult]:
    from kefu.search.selectors import search

    out = []
    for kind, query, judged in queries:
        page = search(user, corpus.query_text(query), page_size=20)
        ranked = [(h.kind, h.object_id) for h in page.hits]
        ndcg, rr, recall = judge(ranked, corpus.relevant(judged))
        out.append(QueryResult(kind, query, ndcg, rr, recall, page.total))
    return out


def summary(results: list[QueryResult]) -> dict:
    """Mean figures per query kind and overall, and the zero-result count."""
    by_kind = defaultdict(list)
    for r in results:
        by_kind[r.kind].append(r)
        by_kind["all"].append(r)
    return {kind: {"queries": len(rs), "ndcg@10": round(sum(r.ndcg for r in rs) / len(rs), 3),
                   "mrr": round(sum(r.rr for r in rs) / len(rs), 3),
                   "recall@20": round(sum(r.recall for r in rs) / len(rs), 3),
                   "zero_results": sum(1 for r in rs if not r.found)} for kind, rs in by_kind.items()}
