"""The phone app and the staff console in a real browser: Playwright for Python driving Debian's
Chromium against `portal demo` serving the built app (pwa/dist)."""
