"""Page routers, one module per audience: public, the claimant's portal, staff, administration."""

from __future__ import annotations

from fastapi import APIRouter

from jiuye.web.pages.admin import ROUTERS as ADMIN
from jiuye.web.pages.apply import router as apply
from jiuye.web.pages.calculator import router as calculator
from jiuye.web.pages.console import router as console
from jiuye.web.pages.demo import router as demo
from jiuye.web.pages.finance import router as finance
from jiuye.web.pages.matching import router as matching
from jiuye.web.pages.notices import router as notices
from jiuye.web.pages.policies import router as policies
from jiuye.web.pages.portal import router as portal
from jiuye.web.pages.public import router as public

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (
    public,
    demo,
    console,
    policies,
    notices,
    matching,
    finance,
    portal,
    *ADMIN,
    calculator,
    apply,
)
