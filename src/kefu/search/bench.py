"""`kefu bench search`: keyword search over N tickets (≈3 replies each) on the bench database.

The corpus is loaded with raw multi-row inserts (the bench measures search, not the services): a pool of
documents is made from the demo's scenarios with random context values and segmented by jieba once; each
ticket takes a pool document plus its own ticket number and phone, and one ticket in 10,000 each of ten rare words.
The replies are part of the document's text (as the index holds them); TicketMessage rows are not written.
The jieba segmentation rate is measured on its own over distinct documents, so the build rate reported is
the honest one for new text. Also reported: precision@5 of the relevance set, index size, query latency.
"""

import random
import time
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from kefu.bench.common import Progress, bench_database, latency, peak_rss_mb

POOL = 3000
BATCH = 10_000
PAGE = 20
RARE_EVERY = 1_000  # one ticket in 1,000 has one of the ten rare words: each is in one ticket in 10,000
RARE_WORDS = ["梧桐巷", "鹅卵石", "琵琶湖", "青砖墙", "桂花弄", "石榴园", "紫藤架", "芦苇荡", "枇杷树", "银杏道"]
QUERIES = {
    "common_chinese": ["客户", "燃气", "处理", "投诉", "已电话", "维修", "退款", "充值"],
    "rare_chinese": RARE_WORDS,
    "mid_chinese": ["绕表", "私接", "消保委", "跨服组队", "阀关", "增值税专用发票", "白屏", "防沉迷"],
    "english": ["crash", "top-up", "dungeon", "overlap", "hacked", '"server down"', "connection failed", "launch"],
}


def _texts(rng: random.Random, n: int):
    """(title, body) pairs from the demo scenarios, weighted like the demo, with ≈3 replies each."""
    from kefu.demo.scenarios import CALLBACK_REPLIES, CLOSE_NOTES, RESOLVE_REPLIES
    from kefu.search.relevance import context, scenarios

    pool = [s for s in scenarios() if s.weight]
    weights = [s.weight for s in pool]
    for _ in range(n):
        s = rng.choices(pool, weights)[0]
        ctx = context(rng.randint(1, 999_999))
        i = rng.randrange(max(1, len(s.desc)))

        def pick(texts, s=s, i=i, ctx=ctx):
            chosen = s.variant(texts, min(i, len(s.desc) - 1))
            return rng.choice(chosen).format_map(ctx) if chosen else ""

        title = s.titles[min(i, len(s.titles) - 1)].format_map(ctx)
        replies = [pick(s.ack), pick(s.result), rng.choice(s.notes + CLOSE_NOTES).format_map(ctx)]
        if rng.random() < 0.3:
            replies.append(rng.choice(CALLBACK_REPLIES + RESOLVE_REPLIES).format_map(ctx))
        yield title, "\n".join(p for p in [pick(s.desc), pick(s.cause), pick(s.handling), *replies] if p)


def _segmentation_rate(rng: random.Random, count: int) -> dict:
    """Documents per second through jieba and the row builder, on distinct texts (no cache can help)."""
    from kefu.search.indexing import DocumentInput, build_row

    texts = list(_texts(rng, count))
    build_row(DocumentInput(kind="ticket", object_id=0, title="预热", body="加载词典"))
    began = time.perf_counter()
    rows = [build_row(DocumentInput(kind="ticket", object_id=i, title=t, body=b)) for i, (t, b) in enumerate(texts)]
    seconds = time.perf_counter() - began
    chars = sum(len(t) + len(b) for t, b in texts)
    return {"documents": count, "docs_per_s": round(count / seconds, 1), "chars_per_s": round(chars / seconds),
            "mean_chars": round(chars / count), "pool": rows}


def _insert(sql: str, rows, cursor) -> None:
    cursor.executemany(sql, rows)


def _load(world, n: int, rng: random.Random, pool: list, progress: Progress) -> dict:
    """Tickets and their index rows, BATCH at a time; the index (FTS5 triggers / tsvector + GIN) grows as in use."""
    from kefu.search import text as t
    from kefu.search.models import Audience, Kind
    from kefu.search.scope import document_scope, ticket_tokens
    from kefu.tickets.models import Ticket, TicketType

    teams = [(world.agent.pk, world.team_a.pk), (world.agent_b.pk, world.team_b.pk), (world.handler.pk,
                                                                                      world.team_a.pk)]
    type_id = TicketType.objects.get(code="inquiry").pk
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    first = (Ticket.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    rare = {w: (" ".join(t.words(w)), " ".join(t.bigrams(w))) for w in RARE_WORDS}
    ticket_sql = ("INSERT INTO tickets_ticket (id, ticket_type_id, title, description, reporter_name, location, "
                  "cause, handling, contact_phone, channel, channel_ref, priority, is_major, status, is_open, "
                  "team_id, assignee_id, custom, version, created_at, updated_at) VALUES "
                  "(%s, %s, %s, '', '', '', '', '', %s, 'phone', '', 2, %s, 'assigned', %s, %s, %s, '{}', 1, %s, %s)")
    doc_sql = ("INSERT INTO search_document (kind, object_id, title, body, title_words, body_words, grams, scope, "
               "status, ticket_type_id, team_id, audience, created_at, indexed_at) VALUES "
               "('ticket', %s, %s, %s, %s, %s, %s, %s, 'assigned', %s, %s, 'internal', %s, %s)")
    scopes = {(assignee, team): document_scope(Kind.TICKET, Audience.INTERNAL, ticket_tokens(SimpleNamespace(
        team_id=team, assignee_id=assignee, created_by_id=None, dispatched_team_id=None)))
        for assignee, team in teams}
    false, true = (0, 1) if connection.vendor == "sqlite" else (False, True)
    began = time.perf_counter()
    insert_seconds = 0.0
    for start in range(0, n, BATCH):
        tickets, docs = [], []
        for i in range(start, min(n, start + BATCH)):
            pk = first + i
            doc = pool[rng.randrange(len(pool))]
            assignee, team = teams[i % len(teams)]
            phone = f"13{rng.randint(0, 999_999_999):09d}"
            at = adapt(now - timezone.timedelta(seconds=(n - i) * 30))
            tickets.append((pk, type_id, doc.title, phone, false, true, team, assignee, at, at))
            title_words = f"{doc.title_words} gd{pk:08d} {phone} {phone[-4:]}"
            body, body_words, grams = doc.body, doc.body_words, doc.grams
            if i % RARE_EVERY == RARE_EVERY // 2:
                word = RARE_WORDS[(i // RARE_EVERY) % len(RARE_WORDS)]
                body, body_words, grams = f"{body}\n{word}", f"{body_words} {rare[word][0]}", f"{grams} {rare[word][1]}"
            docs.append((pk, doc.title, body, title_words, body_words, grams, scopes[assignee, team], type_id, team,
                         at, at))
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            _insert(ticket_sql, tickets, cursor)
            _insert(doc_sql, docs, cursor)
        insert_seconds += time.perf_counter() - t0
        done = min(n, start + BATCH)
        progress.say(f"loaded {done}/{n} ({done / (time.perf_counter() - began):,.0f}/s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"tickets": n, "seconds": round(time.perf_counter() - began, 1),
            "index_rows_per_s": round(n / insert_seconds, 1), "first_id": first}


def _index_size() -> dict:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            try:
                cursor.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'search%' GROUP BY name")
                parts = {name: size for name, size in cursor.fetchall()}
            except Exception:  # noqa: BLE001 (dbstat is an optional SQLite module)
                return {"note": "dbstat not available"}
            fts = sum(v for k, v in parts.items() if k.startswith("search_fts"))
            return {"fts_mb": round(fts / 2**20, 1), "documents_table_mb": round(
                sum(v for k, v in parts.items() if not k.startswith("search_fts")) / 2**20, 1)}
        cursor.execute("SELECT pg_relation_size('search_document_words') + pg_relation_size('search_document_grams'), "
                       "pg_relation_size('search_document_scope'), pg_total_relation_size('search_document')")
        gin, scope, total = cursor.fetchone()
        return {"gin_mb": round(gin / 2**20, 1), "scope_gin_mb": round(scope / 2**20, 1),
                "documents_table_total_mb": round(total / 2**20, 1)}


def _queries(world, samples: int, rng: random.Random, first_id: int, n: int) -> dict:
    from kefu.search.selectors import search

    classes = dict(QUERIES)
    classes["ticket_number"] = [f"GD{first_id + rng.randrange(n):08d}" for _ in range(20)]
    out = {}
    for user_label, user in (("supervisor", world.supervisor), ("agent", world.agent)):
        for label, queries in classes.items():
            durations, totals, capped = [], [], 0
            for q in queries:  # warm-up: the first query of a word reads its pages from disk
                search(user, q, page_size=PAGE)
            for k in range(samples):
                q = queries[k % len(queries)]
                began = time.perf_counter()
                page = search(user, q, page_size=PAGE)
                durations.append(time.perf_counter() - began)
                totals.append(page.total)
                capped += page.capped
            out[f"{user_label}.{label}"] = {**latency(durations), "mean_total": round(sum(totals) / len(totals)),
                                            "capped_share": round(capped / samples, 2)}
    return out


def _relevance(world) -> dict:
    from kefu.search.relevance import build_corpus, evaluate

    results = evaluate(world.supervisor, build_corpus())
    return {"queries": len(results),
            "precision_at_5": round(sum(r.precision for r in results) / len(results), 3),
            "top1_relevant": round(sum(1 for r in results if r.top and r.top[0] in r.relevant) / len(results), 3),
            "below_0_6": [(r.query, r.top) for r in results if r.precision < 0.6]}


def run(options: dict, progress: Progress) -> dict:
    from kefu.testing import build_world

    rng = random.Random(options["seed"])
    n = options["n"]
    result: dict = {"bench": "search", "config": {"n": n, "seed": options["seed"], "pool": POOL}}
    with bench_database(options.get("db"), options.get("keep", False), progress) as db:
        result["config"]["database"] = db.vendor
        progress.say("segmentation rate (jieba)")
        seg = _segmentation_rate(rng, POOL)
        pool = seg.pop("pool")
        result["segmentation"] = seg
        progress.say(f"loading {n} tickets")
        world = build_world()
        # On the small corpus alone, before the bench tickets (made of the same texts) crowd it.
        progress.say("relevance set")
        result["relevance"] = _relevance(world)
        result["load"] = _load(world, n, rng, pool, progress)
        first_id = result["load"].pop("first_id")
        result["index_size"] = _index_size()
        result["database_mb"] = round(db.size_bytes() / 2**20, 1)
        progress.say("timing queries")
        result["queries"] = _queries(world, options["samples"], rng, first_id, n)
    result["peak_rss_mb"] = peak_rss_mb()
    # The targets hold for every role: a supervisor (sees everything) and an agent (their team's tickets).
    timed = result["queries"].values()
    result["targets"] = {"p50_le_15ms": all(v["p50_ms"] <= 15 for v in timed),
                         "p95_le_50ms": all(v["p95_ms"] <= 50 for v in timed)}
    return result


def summary(result: dict) -> str:
    q = result["queries"]
    parts = "; ".join(f"{role}: " + ", ".join(f"{k.split('.', 1)[1]} p50 {v['p50_ms']}/p95 {v['p95_ms']} ms"
                                              for k, v in q.items() if k.startswith(f"{role}."))
                      for role in ("supervisor", "agent"))
    return (f"search: {result['load']['tickets']} tickets on {result['config']['database']}, "
            f"{result['load']['index_rows_per_s']} rows/s loaded, jieba {result['segmentation']['docs_per_s']} docs/s; "
            f"{parts}; P@5 {result['relevance']['precision_at_5']}")
