"""Administration: accounts, local parameters, the audit trail (one router each)."""

from __future__ import annotations

from fastapi import APIRouter

from jiuye.web.pages.admin_audit import router as audit
from jiuye.web.pages.admin_parameters import router as parameters
from jiuye.web.pages.admin_users import router as users

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (users, parameters, audit)
