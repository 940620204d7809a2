"""In a real browser: the arrears page's upload form imports a GBK file and lists a refused file's bad lines."""

import pytest

from kefu.utility.models import ArrearsBill
from kefu.web.tests.browser import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

GOOD = "户号,账期,欠费金额,缴费截止日\n100001,2026-09,123.45,2026-10-15\nM-2001,2026-10,1000,2026-11-15\n"
BAD = "户号,账期,欠费金额,缴费截止日\n999999,2026-13,1,2026-10-15\n"


def test_the_agent_uploads_the_billing_file_on_the_arrears_page(world, utility, new_page, live_server, tmp_path):
    good, bad = tmp_path / "欠费.csv", tmp_path / "bad.csv"
    good.write_bytes(GOOD.encode("gbk"))
    bad.write_bytes(BAD.encode("gbk"))
    page = new_page(world.agent)
    page.goto(f"{live_server.url}/utility/arrears/")
    page.set_input_files("[data-testid=arrears-import] input[type=file]", str(bad))
    page.click("[data-testid=arrears-import] button")
    page.wait_for_load_state()
    text = page.content()
    assert "第 2 行" in text and "没有此户号或表号" in text and "账期请写月份" in text
    assert not ArrearsBill.objects.exists()
    screenshot(page, "utility-arrears-import-refused-1366")
    page.set_input_files("[data-testid=arrears-import] input[type=file]", str(good))
    page.click("[data-testid=arrears-import] button")
    page.wait_for_load_state()
    assert "已导入 2 笔欠费" in page.content()
    assert page.locator("[data-testid=arrears] tbody tr").count() == 2
    screenshot(page, "utility-arrears-import-done-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "utility-arrears-agent-390")
    lead = new_page(world.lead)
    lead.goto(f"{live_server.url}/utility/arrears/")
    screenshot(lead, "utility-arrears-lead-1366")
    lead.set_viewport_size({"width": 390, "height": 844})
    screenshot(lead, "utility-arrears-lead-390")
