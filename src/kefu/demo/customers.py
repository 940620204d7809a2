"""Demo customers of the three businesses, created through the customer services."""

import random
from dataclasses import dataclass, field

from kefu.customers.models import Customer
from kefu.customers.services import ContactInput, CustomerInput, ReferenceInput, change_customer_status, create_customer
from kefu.demo import game, shop
from kefu.demo.center import GAME, GAS, SHOP, Center
from kefu.demo.people import AREA_CODES, GAME_ORGS, GAS_ORGS, OTHER_REGIONS, REGION_CODES, SHOP_ORGS, People

# How the archive splits between the businesses; organisations are a small share of each.
BUSINESS_SHARE = {GAS: 0.45, SHOP: 0.30, GAME: 0.25}
ORG_SHARE = {GAS: 0.08, SHOP: 0.05, GAME: 0.03}
# A few people are customers of two businesses: one record, every channel (CH6).
CROSS_SHARE = 0.08


@dataclass
class DemoCustomer:
    """What the ticket loader needs of a customer: who to call, where they live, their references."""

    pk: int
    name: str
    caller: str  # how an agent writes the caller: 王先生, 李女士, 金鼎餐饮 张经理
    mobile: str
    businesses: set[str]
    address: dict
    refs: dict[str, list[str]] = field(default_factory=dict)  # reference kind → values
    ref_notes: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, value) → note
    tier: str = Customer.Tier.NORMAL
    account_manager_id: int | None = None


def build_customers(rng: random.Random, people: People, center: Center, count: int) -> list[DemoCustomer]:
    """Create `count` customers: people and organisations with contacts and references."""
    result = []
    serial = {"meter": 100000, "account": 0, "order": 0, "player": 0, "contract": 0}

    def next_ref(kind: str) -> str:
        """A new reference of a kind, unique by its serial number (references are unique per kind)."""
        serial[kind] += 1
        n = serial[kind]
        if kind == "meter":
            return f"M-{n:06d}"
        if kind == "account":
            return f"21{n:08d}"
        if kind == "order":
            return f"{rng.randint(10**11, 10**12 - 1)}{n:07d}"  # 19 digits like a marketplace order
        if kind == "player":
            return f"{rng.randint(10, 99)}{n:08d}"
        return f"HT-2025-{n:04d}"

    businesses = list(BUSINESS_SHARE)
    for i in range(count):
        business = rng.choices(businesses, weights=list(BUSINESS_SHARE.values()))[0]
        if i < len(businesses):  # every business has customers, even in a tiny demo
            business = businesses[i]
        if rng.random() < ORG_SHARE[business] or i == len(businesses):
            result.append(_organisation(rng, people, center, business, next_ref))
        else:
            result.append(_person(rng, people, center, business, next_ref))
    _change_some_statuses(rng, center, result)
    return result


def _person(rng, people: People, center: Center, business: str, next_ref) -> DemoCustomer:
    """A private customer; gas customers have their ID on file because opening a gas account needs it."""
    name, pinyin, male = people.person()
    mobile = people.mobile()
    home = people.suzhou_address() if business == GAS or rng.random() < 0.2 else people.other_address()
    contacts = [ContactInput("mobile", mobile, "本人", True)]
    refs: dict[str, list[str]] = {}
    tier, star, manager, id_number, notes = Customer.Tier.NORMAL, 0, None, "", ""
    if business == GAS:
        contacts.append(ContactInput("address", home["addr"], "用气地址"))
        if rng.random() < 0.3:
            contacts.append(ContactInput("phone", people.landline(), "家庭电话"))
        refs = {"account": [next_ref("account")], "meter": [next_ref("meter")]}
        if rng.random() < 0.7:
            id_number = people.id_number(REGION_CODES[home["district"]], male)
        if rng.random() < 0.06:
            notes = rng.choice(["独居老人，上门前请先电话联系家属。", "听力不好，请放慢语速。", "白天上班，周末在家。"])
    elif business == SHOP:
        contacts.append(ContactInput("address", home["addr"], "收货地址"))
        refs = {"order": [next_ref("order") for _ in range(rng.randint(1, 3))]}
        if rng.random() < 0.12:
            tier, star = Customer.Tier.STAR, rng.randint(1, 5)  # 会员等级
    else:
        refs = {"player": [next_ref("player")]}
        if rng.random() < 0.5:
            contacts.append(ContactInput("qq", people.qq(), "游戏 QQ"))
        roll = rng.random()
        if roll < 0.04:  # a big spender: VIP player care with a named account manager (IN3)
            tier, star, manager = Customer.Tier.VIP, 5, center.account_managers[1]
        elif roll < 0.2:
            tier, star = Customer.Tier.STAR, rng.randint(1, 5)  # VIP level shown in game
    if business == GAS and rng.random() < 0.03:
        tier, manager = Customer.Tier.VIP, center.account_managers[0]
    if rng.random() < (0.45 if business == GAME else 0.3):
        contacts.append(ContactInput("wechat", people.wechat(pinyin), "微信"))
    if rng.random() < 0.2:
        contacts.append(ContactInput("email", people.email(pinyin)))
    businesses = {business}
    if rng.random() < CROSS_SHARE:  # the same person also shops in the store or plays the game
        other = SHOP if business != SHOP else GAS
        businesses.add(other)
        if other == SHOP:
            refs.setdefault("order", []).append(next_ref("order"))
        else:
            refs.setdefault("account", []).append(next_ref("account"))
            refs.setdefault("meter", []).append(next_ref("meter"))
            if home.get("city"):  # a gas account is at an address in the utility's city
                home = people.suzhou_address()
                contacts.append(ContactInput("address", home["addr"], "用气地址"))
    actor = center.agents[business][rng.randrange(len(center.agents[business]))]
    ref_notes = {(kind, value): _ref_note(rng, kind) for kind, values in refs.items() for value in values}
    customer = create_customer(actor=actor if manager is None else manager, data=CustomerInput(
        name=name, tier=tier, star_level=star, id_number=id_number, notes=notes,
        account_manager_id=manager.pk if manager else None, contacts=contacts,
        references=[ReferenceInput(kind, value, ref_notes[kind, value]) for kind, value in ref_notes],
    ))
    caller = name[0] + ("先生" if male else "女士")
    return DemoCustomer(customer.pk, name, caller, mobile, businesses, home, refs, ref_notes, tier,
                        manager.pk if manager else None)


def _organisation(rng, people: People, center: Center, business: str, next_ref) -> DemoCustomer:
    """An enterprise customer (集团客户): tier group or VIP, a named account manager, a contact person."""
    home = people.suzhou_address() if business == GAS else people.other_address()
    city = "苏州" if business == GAS else home["city"].removesuffix("市")
    patterns = {GAS: GAS_ORGS, SHOP: SHOP_ORGS, GAME: GAME_ORGS}[business]
    name = people.org_name(patterns, city)
    region = REGION_CODES.get(home["district"]) or rng.choice(OTHER_REGIONS)
    contact, pinyin, male = people.person()
    mobile = people.mobile()
    manager = center.account_managers[0 if business == GAS else 1]
    title = rng.choice(["经理", "主管", "总"]) if male else rng.choice(["经理", "主管"])
    contacts = [ContactInput("phone", people.landline(AREA_CODES.get(city, "0512")), "总机", True),
                ContactInput("mobile", mobile, f"联系人 {contact}{title}"),
                ContactInput("address", home["addr"], "单位地址"),
                ContactInput("email", people.email(pinyin), f"{contact}")]
    refs = {"contract": [next_ref("contract")]}
    if business == GAS:
        refs["account"] = [next_ref("account")]
        refs["meter"] = [next_ref("meter") for _ in range(rng.randint(1, 3))]
    elif business == SHOP:
        refs["order"] = [next_ref("order") for _ in range(rng.randint(2, 4))]
    else:
        refs["player"] = [next_ref("player") for _ in range(rng.randint(2, 5))]
    ref_notes = {(kind, value): _ref_note(rng, kind) for kind, values in refs.items() for value in values}
    customer = create_customer(actor=manager, data=CustomerInput(
        name=name, kind=Customer.Kind.ORGANISATION,
        tier=Customer.Tier.GROUP if rng.random() < 0.7 else Customer.Tier.VIP,
        id_number=people.credit_code(region), account_manager_id=manager.pk, contacts=contacts,
        notes=rng.choice(["重点保障客户，故障走绿色通道。", "月结客户，账单寄送财务部。", "节假日重保客户。"]),
        references=[ReferenceInput(kind, value, ref_notes[kind, value]) for kind, value in ref_notes],
    ))
    caller = f"{name.removeprefix('苏州')[:4]} {contact[0]}{title}"
    return DemoCustomer(customer.pk, name, caller, mobile, {business}, home, refs, ref_notes, customer.tier,
                        manager.pk)


def _ref_note(rng, kind: str) -> str:
    """The short note an agent keeps beside a reference."""
    if kind == "meter":
        return rng.choice(["IC卡表 G2.5", "智能远传表 G4", "机械表 G2.5", "工商业表 G16"]) + \
            f" · {rng.randint(2012, 2024)}年安装"
    if kind == "order":
        product, _price = rng.choice(shop.PRODUCTS)
        return f"{shop.SHOP_NAME} · {product}"
    if kind == "player":
        return f"{game.GAME} · {rng.choice(game.SERVERS)}"
    if kind == "contract":
        return rng.choice(["供气合同", "年度采购框架协议", "企业服务协议"])
    return ""


STATUS_STORIES = {
    GAS: [(Customer.Status.SUSPENDED, "欠费超过三个月，依规暂停供气。"),
          (Customer.Status.CLOSED, "房屋出售，用户申请销户。")],
    SHOP: [(Customer.Status.DORMANT, "超过一年未下单，转为沉睡会员。")],
    GAME: [(Customer.Status.SUSPENDED, "账号违规，封禁处理期间暂停服务。")],
}


def _change_some_statuses(rng, center: Center, customers: list[DemoCustomer]) -> None:
    """A few customers change status; one suspended gas customer pays the arrears and is active again."""
    people_only = [c for c in customers if c.tier != Customer.Tier.GROUP]
    picks = rng.sample(people_only, k=max(2, len(customers) // 40))
    for n, demo in enumerate(picks):
        business = sorted(demo.businesses)[0]
        status, reason = rng.choice(STATUS_STORIES[business])
        actor = center.agents[business][rng.randrange(len(center.agents[business]))]
        customer = Customer.objects.get(pk=demo.pk)
        customer = change_customer_status(actor=actor, customer=customer, version=customer.version,
                                          status=status, reason=reason)
        if n == 0 and status == Customer.Status.SUSPENDED:
            change_customer_status(actor=actor, customer=customer, version=customer.version,
                                   status=Customer.Status.ACTIVE, reason="已缴清欠费，恢复正常。")
