"""The enterprise and citizen portal: signing up, ``/my`` and everything under it (the application
form itself is in the forms module), and the staff download of a claimant's evidence."""

from __future__ import annotations

from fastapi import APIRouter

from jiuye.web.pages.portal import applications, evidence, home, offers, received, signup

__all__ = ["router"]

router = APIRouter()
for _part in (signup, home, applications, evidence, offers, received):
    router.include_router(_part.router)
