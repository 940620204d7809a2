"""What an agent means: folded text, numbers however typed, names by pinyin, synonyms, domain senses, partial
matches, English stems, articles and customers in the one ranking."""

import pytest

from kefu.customers.services import update_customer
from kefu.search.selectors import search

pytestmark = pytest.mark.django_db


def ids(page, kind="ticket"):
    return [h.object_id for h in page.hits if h.kind == kind]


def test_traditional_script_and_simplified_find_each_other(world):
    simplified = world.ticket(title="账单查询")
    traditional = world.ticket(title="賬單查詢不到")
    assert set(ids(search(world.agent, "賬單查詢"))) == {simplified.pk, traditional.pk}
    page = search(world.agent, "账单")
    assert set(ids(page)) == {simplified.pk, traditional.pk}
    # The text as written is marked where its folded form matched.
    assert "<mark>賬單</mark>" in str(next(h for h in page.hits if h.object_id == traditional.pk).title)


def test_full_width_letters_digits_and_case_are_folded(world):
    ticket = world.ticket(title="订单 ＪＤ２０２６－１１８８４２ 未发货")
    for q in ("JD2026-118842", "JD 2026 118842", "jd2026118842", "ＪＤ２０２６１１８８４２"):
        assert ids(search(world.agent, q)) == [ticket.pk], q


def test_a_phone_is_found_however_it_is_spaced_but_not_by_a_piece_of_its_middle(world):
    ticket = world.ticket(title="燃气表异响", description="回拨电话 139 0571 2233", contact_phone="")
    for q in ("13905712233", "139-0571-2233", "139 0571 2233", "+86 139 0571 2233", "2233"):
        assert ids(search(world.agent, q)) == [ticket.pk], q
    assert ids(search(world.agent, "0571")) == []


def test_a_phone_tail_finds_the_customer_and_their_tickets(world):
    ticket = world.ticket(title="停气咨询", contact_phone="", customer_id=world.customer.pk)
    page = search(world.supervisor, "1234")
    assert ids(page, "customer") == [world.customer.pk] and ticket.pk in ids(page)


def test_a_bare_ticket_number_finds_the_ticket_and_says_why(world):
    ticket = world.ticket(title="宽带报修")
    page = search(world.agent, str(ticket.pk))
    assert ids(page)[0] == ticket.pk
    assert any(ticket.number in reason for reason in page.hits[0].reasons)
    assert ids(search(world.agent, ticket.number))[0] == ticket.pk


def test_a_ticket_is_found_by_its_customers_name_address_and_kept_current(world):
    ticket = world.ticket(title="燃气灶点不着", contact_phone="", customer_id=world.customer.pk)
    assert ticket.pk in ids(search(world.agent, "王小明"))
    assert ticket.pk in ids(search(world.agent, "城东路1号"))
    update_customer(actor=world.supervisor, customer=world.customer, version=world.customer.version,
                    changes={"name": "仇晓峰"})
    assert ticket.pk in ids(search(world.agent, "仇晓峰"))
    assert ticket.pk not in ids(search(world.agent, "王小明"))


@pytest.mark.parametrize("q", ["qiuxiaofeng", "qxf", "chouxiaofeng", "qiu xiao feng"])
def test_names_are_found_by_pinyin_with_the_surnames_reading(world, q):
    update_customer(actor=world.supervisor, customer=world.customer, version=world.customer.version,
                    changes={"name": "仇晓峰"})
    page = search(world.supervisor, q, kinds=["customer"])
    assert ids(page, "customer") == [world.customer.pk]
    assert any("qiu" in r or "qxf" in r or "chou" in r for r in page.hits[0].reasons)


def test_compound_surnames_and_transliterated_names(world):
    from kefu.customers.services import ContactInput, CustomerInput, create_customer

    sima = create_customer(actor=None, data=CustomerInput(name="司马光明"))
    smith = create_customer(actor=None, data=CustomerInput(name="约翰·史密斯", contacts=[
        ContactInput(kind="mobile", value="15812345613")]))
    assert ids(search(world.supervisor, "smgm"), "customer") == [sima.pk]
    assert ids(search(world.supervisor, "史密斯"), "customer") == [smith.pk]


def test_an_exact_name_ranks_above_its_homophone(world):
    from kefu.customers.services import CustomerInput, create_customer

    homophone = create_customer(actor=None, data=CustomerInput(name="章伟"))
    exact = create_customer(actor=None, data=CustomerInput(name="张伟"))
    assert ids(search(world.supervisor, "张伟"), "customer") == [exact.pk, homophone.pk]


def test_synonyms_are_found_below_the_literal_word(world):
    literal = world.ticket(title="快递三天没到")
    synonym = world.ticket(title="包裹三天没到")
    page = search(world.agent, "快递")
    assert ids(page) == [literal.pk, synonym.pk]
    assert any("包裹" in r for r in page.hits[1].reasons) and "<mark>包裹</mark>" in str(page.hits[1].title)


def test_a_single_character_means_its_domain_sense_first(world):
    moody = world.ticket(title="客户很生气，说话不客气")
    gas = world.ticket(title="小区停气了", description="天然气什么时候恢复供气")
    page = search(world.agent, "气")
    assert ids(page)[:2] == [gas.pk, moody.pk]


def test_several_words_rank_partial_matches_instead_of_refusing_them(world):
    partial = world.ticket(title="抬头开错了，要重开收据")
    world.ticket(title="系统错误")
    unrelated = world.ticket(title="燃气表读数")
    page = search(world.agent, "收据抬头错误")
    assert ids(page)[0] == partial.pk and unrelated.pk not in ids(page)


def test_mixed_chinese_and_english(world):
    ticket = world.ticket(title="买的iPad用了两天就黑屏")
    earphones = world.ticket(title="新买的蓝牙耳机连上了但是没声音")
    assert ids(search(world.agent, "iPad黑屏"))[0] == ticket.pk
    assert ids(search(world.agent, "蓝牙耳机没声音"))[0] == earphones.pk


@pytest.mark.parametrize("q", ["charge", "charging", "charged", "CHARG"])
def test_english_words_are_stemmed_and_the_last_one_is_a_prefix(world, q):
    ticket = world.ticket(title="iPad not charged after update")
    assert ids(search(world.agent, q)) == [ticket.pk]


def test_quoted_phrases_are_required_and_minus_words_excluded(world):
    both = world.ticket(title="燃气表异响 漏气")
    only = world.ticket(title="燃气表异响")
    assert ids(search(world.agent, '"漏气" 燃气表')) == [both.pk]
    assert ids(search(world.agent, "燃气表 -漏气")) == [only.pk]
