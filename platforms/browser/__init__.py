"""The browser driver (Playwright + a system Chromium); import ``.driver`` for it. Playwright is
imported only when a driver starts, so this package imports without the ``browser`` extra."""
