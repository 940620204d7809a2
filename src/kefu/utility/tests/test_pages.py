"""The utility pages: who lands where, the pack switched off, amounts by right, fixed query counts."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.utility.services import MeterInput, create_account, install_meter, open_shift, set_balance, take_payment


def test_every_page_is_404_while_the_pack_is_off(world, utility, client):
    from kefu.packs.services import set_pack_enabled

    set_pack_enabled(actor=None, code="utility", enabled=False)
    client.force_login(world.supervisor)
    for url in ("/utility/accounts/", "/utility/read-rates/", "/utility/desk/", "/utility/abnormal/"):
        assert client.get(url).status_code == 404
    assert b"utility-panel" not in client.get(f"/customers/{world.customer.pk}/").content


def test_the_reader_lands_on_the_day_list_and_not_on_office_pages(world, utility, client):
    client.force_login(world.fieldman)
    page = client.get("/utility/day/?day=2026-11-06")
    assert page.status_code == 200 and b"M-1001" in page.content and b"reading.js" in page.content
    assert client.get("/utility/accounts/").status_code == 403
    assert client.get("/utility/desk/").status_code == 403


def test_the_cashier_sees_counts_and_the_manager_amounts(world, utility, client):
    open_shift(actor=world.agent)
    take_payment(actor=world.agent, account_id=utility.home.pk, kind="bill", method="cash", amount_fen=8290)
    today = date.today().isoformat()
    client.force_login(world.agent)
    assert "¥82.90" not in client.get(f"/utility/desk/sales/?day={today}").content.decode()
    client.force_login(world.manager)
    assert "¥82.90" in client.get(f"/utility/desk/sales/?day={today}").content.decode()


def test_the_counter_takes_a_payment_in_yuan_and_shows_the_receipt(world, utility, client):
    client.force_login(world.agent)
    client.post("/utility/desk/open/")
    response = client.post("/utility/desk/pay/", {"account": "100001", "kind": "bill", "method": "cash",
                                                  "amount": "82.9"}, follow=True)
    content = response.content.decode()
    assert "receipt" in content and "¥82.90" in content


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_cost_the_same_queries_for_more_rows(world, utility, client):
    client.force_login(world.supervisor)
    urls = ["/utility/accounts/", "/utility/arrears/", "/utility/read-rates/?period=2026-11",
            "/utility/abnormal/"]
    for url in urls:
        _count(client, url)  # warm the per-process caches
    few = {url: _count(client, url) for url in urls}
    for i in range(6):
        account = create_account(actor=None, number=f"5000{i}", customer_id=world.customer.pk,
                                 customer_class="residential")
        install_meter(actor=None, account_id=account.pk, data=MeterInput(number=f"X-{i}",
                                                                         installed_on=date(2010, 1, 1)))
        set_balance(actor=None, account_id=account.pk, amount_fen=1000 + i, due_since=date(2026, 9, 1))
    assert {url: _count(client, url) for url in urls} == few
