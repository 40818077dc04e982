"""Staff pages for money, the 1131 ledger and job postings: payment batches and the bank's files,
the fund position, the real-name assistance ledger, job postings and their import."""

from __future__ import annotations

from fastapi import APIRouter

from jiuye.web.pages.finance import batches, funds, graduates, imports, ledger, postings, returns

__all__ = ["router"]

router = APIRouter()
for _part in (
    batches.router,
    returns.router,
    funds.router,
    ledger.router,
    graduates.router,
    postings.router,
    imports.router,
):
    router.include_router(_part)
