"""Importers: turn a delivered file (GeoJSON, GeoPackage, Shapefile, CSV, KML, DXF, the land
cadastre XML, GeoTIFF) into a layer of the portal, or replace a layer's data atomically.

``importers.pipeline`` streams features in batches (read -> reproject -> repair -> COPY) into
a new table that ``layers.storage`` swaps in; ``importers.raster`` stores rasters as COGs.
"""
