"""Importers: turn a delivered file (GeoJSON, GeoPackage, Shapefile, CSV, KML/KMZ, DXF, the land
cadastre XML, GeoTIFF) into a layer of the portal, or replace a layer's data atomically.

``sources`` reads (GDAL via pyogrio, or ``cadastre_xml``), ``pipeline`` streams batches
(reproject -> ``geometry`` hygiene -> ``kinds`` checks -> COPY) into a new table that
``layers.storage`` swaps in; ``uploads`` guards files from outside, ``jobs`` runs imports in
the background, ``versions`` rolls back, ``raster`` stores rasters as COGs.
"""
