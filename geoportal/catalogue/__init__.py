"""Metadata of the portal's layers (ISO 19115, uk + en) and the discovery service over them:
CSW 2.0.2/3.0 at /csw by pycsw, and the JSON search the web map's layer catalogue uses."""
