"""The base of the portal, imported by every package above it and importing none of them:
typed errors and their one rendering path (``errors``), configuration shared by all packages
and the hromada (``conf``), who the client is (``clientip``) and rate limiting (``ratelimit``).

Layering, bottom to top: core -> layers -> importers, tiles -> geoportal (tests/test_layout.py
keeps it so)."""
