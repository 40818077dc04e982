"""The web application: server-rendered Chinese pages over the same services as the API.

A layer, not a second system: pages call ``jiuye.service`` exactly as the API routes do, with the
caller taken from a browser session cookie instead of a Bearer token.
"""

from jiuye.web.app import install_web

__all__ = ["install_web"]
