"""Template tags of the portal's pages (``{% load portal %}``)."""
