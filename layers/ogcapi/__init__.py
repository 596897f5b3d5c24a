"""OGC API - Features at /ogc/, in the pipeline shape of django-gisserver / pygeoapi:
parameters (the one declaration of every operation's parameters and the parser reading a
request into a FeatureQuery) -> the query's queryset -> output (JSON documents, HTML pages,
GeoJSON via layers.geojson); openapi generates /ogc/api from the same declaration; views
connect them and are imported only by the URL conf (layers.ogcapi_urls)."""
