"""Session-wide fixtures for the browser tests.

Browser tests need Debian's Chromium at /usr/bin/chromium. If it is missing
they FAIL (never skip) with a message saying how to install it. One Playwright
browser is shared by the whole session, and one JupyterLab server by all the
JupyterLab tests.
"""

import pytest

from browser import JupyterLab, LabPage, chromium_missing_message, launch_chromium


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole test session."""
    missing = chromium_missing_message()
    if missing:
        pytest.fail(missing, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab(chromium):
    """A real JupyterLab on 127.0.0.1 serving the course folder (no token,
    isolated settings); stopped by its PID when the session ends. If its log
    says a settings file was rejected ("Failed validating settings"), the
    session fails at teardown: a rejected file is silently ignored as a whole."""
    server = JupyterLab()
    errors = []
    try:
        yield server
        errors = server.settings_errors()
    finally:
        server.stop()
    if errors:
        pytest.fail("JupyterLab rejected a settings file written by tests/browser.py:\n" + "\n".join(errors),
                    pytrace=False)


@pytest.fixture(scope="module")
def lab_page(lab, chromium):
    """JupyterLab loaded once in one page, shared by one test module's tests."""
    page = LabPage(lab, chromium)
    yield page
    page.close()


@pytest.fixture(autouse=True)
def _browser_tests_need_chromium(request):
    """A test marked ``browser`` fails (never skips) when Chromium is missing."""
    if request.node.get_closest_marker("browser"):
        missing = chromium_missing_message()
        if missing:
            pytest.fail(missing, pytrace=False)
