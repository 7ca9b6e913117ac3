"""What a page printed to its console: errors fail the test unless the test said it expected them.

Content-Security-Policy violations always fail: the page reports each one as a console error (an
init script listens for `securitypolicyviolation`, besides Chromium's own "Refused to ..." line), and
no expectation can allow them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Error, Page

# Chromium logs every HTTP error response as a console error with this text; the URL is the message's
# location. Only such lines can be expected: any other console error is a bug in the UI.
FAILED_RESOURCE = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3})")
CSP_VIOLATION = "CSP violation"
# Runs before the page's own scripts, outside the page's CSP (Playwright injects it via DevTools).
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@dataclass
class BrowserLog:
    page: Page
    errors: list[str] = field(default_factory=list)
    # (status, URL pattern) of HTTP errors the test provokes on purpose.
    expected: list[tuple[int, re.Pattern[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # The app asks who is logged in before anyone has: a 401 there is how it finds out.
        self.expect(401, r"/api/auth/me$")
        self.page.add_init_script(REPORT_CSP_VIOLATIONS)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    def expect(self, status: int, url_pattern: str) -> None:
        """Allow the browser's console line for an HTTP `status` from a URL matching the pattern."""
        self.expected.append((status, re.compile(url_pattern)))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        match = FAILED_RESOURCE.match(message.text)
        if match and any(int(match.group(1)) == s and p.search(url) for s, p in self.expected):
            return
        self.errors.append(f"console.error: {message.text} ({url})")

    def _on_page_error(self, error: Error) -> None:
        self.errors.append(f"uncaught: {error.message}\n{error.stack or ''}")

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if CSP_VIOLATION in e or "Content Security Policy" in e]

    def assert_clean(self) -> None:
        assert not self.errors, "the page logged errors:\n" + "\n".join(self.errors)
