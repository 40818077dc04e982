"""Page routers, one module per audience: public, the claimant's portal, staff, administration."""

from __future__ import annotations

from fastapi import APIRouter

from jiuye.web.pages.apply import router as apply
from jiuye.web.pages.calculator import router as calculator
from jiuye.web.pages.public import router as public

__all__ = ["ROUTERS"]

ROUTERS: tuple[APIRouter, ...] = (public, calculator, apply)
