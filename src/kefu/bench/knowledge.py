"""`kefu bench knowledge`: what an agent waits for while typing a ticket (article suggestions) and while
searching the knowledge base and the public help center, over a knowledge base of --articles articles."""

import random
import time

from django.utils import timezone

from kefu.bench.common import Progress, bench_database, latency, measure

WORDS = [
    "燃气", "缴费", "气表", "抢修", "泄漏", "停气", "退货", "换货", "充值", "补单", "发票", "阶梯",
    "气价", "维修", "预约", "投诉", "安装", "过户", "开户", "销户", "账单", "欠费", "短信", "密码",
    "登录", "订单", "物流", "快递", "赔偿", "优惠", "invoice", "refund", "meter", "password",
]
TICKET_TEXTS = [
    "客户反映家里燃气表读数异常，要求上门维修", "充值后没有到账，需要补单", "快递一直没到，要求退货并赔偿",
    "阶梯气价怎么算", "停气什么时候恢复", "customer asks for a refund and an invoice", "忘记登录密码怎么办",
]
SEARCHES = ["燃气", "补单", "退货 赔偿", "refund", "气表 维修"]


def _load(n: int, rng: random.Random, progress: Progress) -> dict:
    """Articles with one published revision each, written in bulk: the bench measures reading, not writing."""
    from kefu.accounts.roles import Role
    from kefu.accounts.services import create_user
    from kefu.knowledge.models import Article, ArticleRevision, ArticleStatus, Audience, Category, Tag

    author = create_user(actor=None, username="bench-info", password=None, role=Role.INFO_DESK,
                         agent_no="B1")
    categories = [Category.objects.create(name=f"分类{i}", position=i) for i in range(8)]
    tags = [Tag.objects.create(name=w) for w in WORDS]
    now = timezone.now()
    done, started = 0, time.perf_counter()
    while done < n:
        size = min(1000, n - done)
        articles = Article.objects.bulk_create([
            Article(title=f"{rng.choice(WORDS)}{rng.choice(WORDS)}问题{done + i}",
                    summary=f"{rng.choice(WORDS)}的处理办法", body="".join(
                        f"{rng.choice(WORDS)}相关说明，请按流程办理。" for _ in range(rng.randint(20, 120))),
                    category=rng.choice(categories), status=ArticleStatus.PUBLISHED, author=author,
                    audience=Audience.PUBLIC if rng.random() < 0.5 else Audience.INTERNAL,
                    is_faq=rng.random() < 0.1, published_at=now, created_at=now, updated_at=now)
            for i in range(size)])
        revisions = ArticleRevision.objects.bulk_create([
            ArticleRevision(article=a, number=1, title=a.title, summary=a.summary, body=a.body,
                            audience=a.audience, created_by=author, created_at=now) for a in articles])
        for a, r in zip(articles, revisions, strict=True):
            a.published_revision = r
        Article.objects.bulk_update(articles, ["published_revision"])
        Article.tags.through.objects.bulk_create([
            Article.tags.through(article_id=a.pk, tag_id=t.pk) for a in articles for t in rng.sample(tags, 2)])
        done += size
        progress.tick("articles", done, n, done / max(time.perf_counter() - started, 1e-9))
    return {"articles": n, "tags": len(tags), "categories": len(categories)}


def run(options: dict, progress: Progress) -> dict:
    from kefu.accounts.roles import Role
    from kefu.accounts.services import create_user
    from kefu.knowledge.selectors import list_articles, public_articles, suggest_articles

    rng = random.Random(options["seed"])
    samples = options["samples"]
    result: dict = {"bench": "knowledge", "config": {"articles": options["articles"], "seed": options["seed"],
                                                     "samples": samples}}
    with bench_database(options.get("db"), options.get("keep", False), progress) as db:
        result["config"]["database"] = db.vendor
        began = time.perf_counter()
        result["load"] = _load(options["articles"], rng, progress)
        result["load"]["seconds"] = round(time.perf_counter() - began, 1)
        agent = create_user(actor=None, username="bench-agent", password=None, role=Role.AGENT,
                            agent_no="B2")
        texts, searches = iter(TICKET_TEXTS * samples), iter(SEARCHES * samples)
        progress.say("suggestions while typing a ticket")
        result["suggest"] = latency(measure(lambda: suggest_articles(agent, next(texts)), samples, 5))
        progress.say("knowledge base search (agent)")
        result["search"] = latency(measure(lambda: list_articles(agent, q=next(searches)), samples, 5))
        progress.say("public help center search")
        result["help_center"] = latency(measure(lambda: public_articles(q=next(searches)), samples, 5))
    return result


def summary(result: dict) -> str:
    return (f"knowledge: {result['load']['articles']} articles on {result['config']['database']} — suggest p50 "
            f"{result['suggest']['p50_ms']} / p95 {result['suggest']['p95_ms']} ms, search p50 "
            f"{result['search']['p50_ms']} ms, help center p50 {result['help_center']['p50_ms']} ms")
