"""Settings of the condition registers and outages (GEOPORTAL_CONDITIONS_*), each with its
default; read through this module at call time, so tests can change them."""

from core.conf import setting as _setting

# Days a repaired lamp shows as "repaired" before it counts as "working" again.
REPAIRED_DAYS = _setting("GEOPORTAL_CONDITIONS_REPAIRED_DAYS", 7)
# A report pinned within this many metres (on the ground) of exactly one street-light pole is
# about that pole.
POLE_RADIUS_M = _setting("GEOPORTAL_CONDITIONS_POLE_RADIUS_M", 15.0)
# A road report within this many metres of a street segment is about the nearest one.
SEGMENT_RADIUS_M = _setting("GEOPORTAL_CONDITIONS_SEGMENT_RADIUS_M", 20.0)
# Report categories (codes) about a street lamp, and about the road surface.
LAMP_CATEGORIES = _setting("GEOPORTAL_CONDITIONS_LAMP_CATEGORIES", ["light-out", "light-daytime"])
ROAD_CATEGORIES = _setting("GEOPORTAL_CONDITIONS_ROAD_CATEGORIES", ["pothole", "road-surface"])
# Metres around the footprints of the listed houses that make an outage's area.
OUTAGE_BUFFER_M = _setting("GEOPORTAL_CONDITIONS_OUTAGE_BUFFER_M", 15.0)
