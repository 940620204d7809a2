"""`kefu bench search`: relevance of the relevance set, and search speed over N tickets (≈3 replies each).

First the relevance set (kefu.bench.relevance) on its own corpus, loaded through the services: nDCG@10, MRR,
recall@20 and zero-result queries per kind of query. Then the speed corpus, loaded with raw multi-row inserts (the
bench measures search, not the services): a pool of documents is made from the relevance corpus's scenarios with
random customers, phones and order numbers and segmented once; each ticket takes a pool document plus its own
ticket number and phone, and one ticket in 1,000 one of ten rare words. The segmentation rate is measured on its
own over distinct documents. Also reported: index size, query latency per kind of query and role.
"""

import random
import time
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from kefu.bench.common import Progress, bench_database, latency, peak_rss_mb
from kefu.bench.relevance import build_corpus, evaluate
from kefu.bench.relevance import summary as relevance_summary
from kefu.bench.relevance.corpus import SCENARIOS, customers

POOL = 3000
BATCH = 10_000
PAGE = 20
RARE_EVERY = 1_000  # one ticket in 1,000 has one of the ten rare words: each is in one ticket in 10,000
RARE_WORDS = ["梧桐巷", "鹅卵石", "琵琶湖", "青砖墙", "桂花弄", "石榴园", "紫藤架", "芦苇荡", "枇杷树", "银杏道"]
QUERIES = {
    "common_chinese": ["客户", "燃气", "处理", "投诉", "已电话", "维修", "退款", "充值"],
    "rare_chinese": RARE_WORDS,
    "mid_chinese": ["携号转网", "调压阀", "价保", "换绑", "防沉迷", "机顶盒", "门禁卡", "阶梯气价"],
    "one_character": ["气", "阀", "网", "梯"],
    "phrase": ["收据抬头错误", "蓝牙耳机没声音", "闻到燃气味怎么办", "楼上装修太吵"],
    "english": ["crash", "top-up", "hacked", "password", "charging", "not received", "launch", "wifi"],
    "synonym_traditional": ["包裹", "退钱", "賬單", "寬帶斷網"],
    "phone_tail": ["2233", "5601", "8888", "1234"],
    "pinyin": ["zw", "qiuwei", "zhang wei", "xxd"],
}


def _texts(rng: random.Random, n: int):
    """(title, body) pairs from the relevance corpus's scenarios, with a customer's name, phone and an order
    number, ≈3 replies each."""
    people = customers()
    for _ in range(n):
        _code, _industry, titles, descriptions, replies = rng.choice(SCENARIOS)
        _key, name, _ind, phone, address, _ref = rng.choice(people)
        order = f"JD{rng.randint(10**9, 10**10)}"
        body = [rng.choice(descriptions), f"客户{name}，电话 {phone}，地址 {address}，订单 {order}",
                *rng.sample(replies, len(replies)), "已电话联系客户，按流程处理。"]
        yield rng.choice(titles), "\n".join(body)


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
    results = evaluate(world.supervisor, build_corpus(world.supervisor))
    table = relevance_summary(results)
    table["worst"] = [(r.kind, r.query, round(r.ndcg, 2)) for r in sorted(results, key=lambda r: r.ndcg)[:8]]
    return table


def _world():
    """A supervisor (sees everything) and two agents of two teams (see their team's tickets)."""
    from kefu.accounts.roles import Role
    from kefu.accounts.services import create_department, create_team, create_user

    service = create_department(actor=None, name="客服部")
    team_a, team_b = (create_team(actor=None, department=service, name=name) for name in ("一班", "二班"))

    def user(name, role, team):
        return create_user(actor=None, username=name, password=None, role=role, team=team, agent_no=name[-4:])

    return SimpleNamespace(team_a=team_a, team_b=team_b, supervisor=user("sup1000", Role.SUPERVISOR, None),
                           agent=user("agent1001", Role.AGENT, team_a), agent_b=user("agent1002", Role.AGENT, team_b),
                           handler=user("agent1003", Role.AGENT, team_a))


def run(options: dict, progress: Progress) -> dict:
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
        world = _world()
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
            f"{parts}; nDCG@10 {result['relevance']['all']['ndcg@10']}, "
            f"zero-result queries {result['relevance']['all']['zero_results']}")
