"""Accounts and roles: residents, staff (planners, dispatchers), GIS analysts with API tokens,
administrators. Roles are Django groups made by a data migration; API tokens authenticate
every path (REST, WFS, OGC API, tiles) through one middleware."""
