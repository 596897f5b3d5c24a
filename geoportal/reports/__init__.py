"""Residents' problem reports (issue 7, part 2): intake (web API and Open311 GeoReport v2),
routing to departments, the staff workflow and dashboard, public pages. See README.md."""
