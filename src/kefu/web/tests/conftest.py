from kefu.web.tests.browser import browser, new_page  # noqa: F401  (fixtures for the browser tests)
