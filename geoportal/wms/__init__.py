"""View service of the portal: WMS 1.3.0 at /wms and cached XYZ PNG tiles, drawn by MapServer
(mapscript) from a mapfile generated from the registry with only the layers the caller may see."""
