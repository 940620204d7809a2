"""Headless Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by Playwright.

The tests are skipped with a clear reason when Chromium is not installed (a developer machine without it);
CI installs it (`.ci/run`), and sets KEFU_REQUIRE_BROWSER=1 so that a missing browser fails instead.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("KEFU_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which this
# intranet-style machine refuses; --no-sandbox because CI runs as root.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--lang=zh-CN"]
VIEWPORT = {"width": 1366, "height": 768}


def chromium_or_skip() -> str:
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return CHROMIUM
    if os.environ.get("KEFU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    return ""


@pytest.fixture(scope="session")
def browser():
    path = chromium_or_skip()
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run under one
    # unless told it is safe — it is, the test code itself is synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=path, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(user) → a logged-in page in its own browser context (its own cookies), at 1366×768."""
    contexts = []

    def make(user, password="kefu-Test-2026"):
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.set_default_timeout(5000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server.url, user, password)
        return page

    yield make
    for context in contexts:
        context.close()


def log_in(page, base_url: str, user, password: str = "kefu-Test-2026") -> None:
    """Log in through the login page; a role that must have a second factor gets one and types its code."""
    from kefu.accounts.security import factor_required
    from kefu.testing import login_code

    if factor_required(user):
        login_code(user)  # set the authenticator up beforehand, as the user would have
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/login/" not in url or "/login/code/" in url)
    if "/login/code/" in page.url:  # a user with an authenticator: the login's second step
        page.fill("input[name=code]", login_code(user))
        page.click("button.primary")
        page.wait_for_url(lambda url: "/login/" not in url)


def screenshot(page, name: str) -> None:
    """Keep a picture of the screen for people to look at (var/screenshots, not part of the assertions)."""
    folder = os.environ.get("KEFU_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=False)
