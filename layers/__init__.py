"""The layer registry: what layers exist, who may see them, and where their features live.

Each layer's features are a table of their own in the ``layerdata`` schema with typed columns
(see docs/architecture.md); ``layers.storage`` owns that DDL and ``layers.dynamic`` gives Django
a model class for each table, so WFS, OGC API, REST and tiles query layers like any model.
"""
