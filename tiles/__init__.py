"""Tiles: Mapbox Vector Tiles built by PostGIS in one query per tile, raster tiles from the
importers' COGs, TileJSON, and the tile cache keyed by layer version."""
