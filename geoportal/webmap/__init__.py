"""The web map: the Leaflet page residents and planners use, drawn from the portal's own tiles."""
