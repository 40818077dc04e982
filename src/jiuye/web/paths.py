"""Which paths are pages (HTML answers, form posts, CSRF-checked) rather than the JSON API."""

from __future__ import annotations

__all__ = ["WEB_PREFIXES", "is_upload_path", "is_web_path"]

#: Page prefixes; every other path is the API (JSON in, JSON out). ``/`` itself is a page too.
WEB_PREFIXES = (
    "/static/",
    "/login",
    "/logout",
    "/signup",
    "/policies",
    "/calculator",
    "/notices",
    "/my",
    "/staff",
    "/admin",
    "/docs",
    "/redoc",
)
#: Page paths that take a file (multipart): a larger body is allowed there.
_UPLOAD_MARKERS = ("/upload", "/evidence", "/import", "/return")


def is_web_path(path: str) -> bool:
    """Whether ``path`` is a page's.

    >>> is_web_path("/"), is_web_path("/staff/queue"), is_web_path("/applications/1"), is_web_path("/myx")
    (True, True, False, False)
    """
    if path == "/":
        return True
    return any(path == p.rstrip("/") or path.startswith(p.rstrip("/") + "/") for p in WEB_PREFIXES)


def is_upload_path(path: str) -> bool:
    """Whether ``path`` is a page that takes a file.

    >>> is_upload_path("/staff/batches/3/return"), is_upload_path("/staff/queue")
    (True, False)
    """
    return is_web_path(path) and any(marker in path for marker in _UPLOAD_MARKERS)
