"""The HTTP edge of the case service (FastAPI): thin routes over the service functions."""

from jiuye.service.api.app import create_app

__all__ = ["create_app"]
