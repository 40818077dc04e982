"""The case service (issue 4): applications, review, grants, payments, audit, over SQL.

Layers point inward: ``jiuye.cases`` (domain: states, tiers, checks) imports no framework;
this package holds persistence (SQLAlchemy 2, Alembic), the API (FastAPI) and the commands.
"""
