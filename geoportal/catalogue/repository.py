"""pycsw's repository over the portal's ``Record`` table through the Django ORM (as GeoNode
plugs pycsw into its own models): pycsw translates a CSW filter into SQL on pycsw's column
names, this class runs it. The access rule is applied here, always: ``visible_layers`` (the ids
of the layers the caller may see, from layers.access, in the request's pycsw configuration) restricts every query, so a staff-only layer's record
can't be found, counted, fetched by id or listed as a domain value by an anonymous caller."""

from __future__ import annotations

from django.db.models import Count, Max, Min
from pycsw.core import util

from .models import Record

__all__ = ["PortalRepository"]


class PortalRepository:
    """The duck-typed interface pycsw 3 calls on a custom repository (``repository.source``)."""

    def __init__(self, context, repo_filter=None):
        self.context = context
        self.filter = repo_filter
        self.fts = False
        self.label = "Hromada Geoportal"
        self.local_ingest = False
        self.dbtype = "postgresql+postgis+wkt"
        # the view puts the caller's visible layer ids into this request's pycsw configuration
        self.visible = tuple(context.server.config["repository"]["visible_layers"])
        self.queryables = {}
        for tname in self.context.model["typenames"]:
            for qname, qvalue in self.context.model["typenames"][tname]["queryables"].items():
                self.queryables[qname] = dict(qvalue)
        self.queryables["_all"] = {}
        for qbl in list(self.queryables):
            self.queryables["_all"].update(self.queryables[qbl])
        self.queryables["_all"].update(self.context.md_core_model["mappings"])

    def dataset(self):
        return Record

    def _records(self):
        return Record.objects.filter(layer_id__in=self.visible)

    def query_ids(self, ids):
        return list(self._records().filter(identifier__in=ids))

    def query_domain(self, domain, typenames, domainquerytype="list", count=False):
        if domain not in {f.name for f in Record._meta.get_fields()}:
            return []
        records = self._records()
        if domainquerytype == "range":
            return [tuple(records.aggregate(Min(domain), Max(domain)).values())]
        if count:
            return [
                (d[domain], d[f"{domain}__count"])
                for d in records.values(domain).annotate(Count(domain))
            ]
        return list(records.values_list(domain).distinct())

    def query_insert(self, direction="max"):
        agg = Min if direction == "min" else Max
        return self._records().aggregate(value=agg("insert_date"))["value"]

    def query_source(self, source):
        return list(self._records().filter(source=source))

    def query(self, constraint, sortby=None, typenames=None, maxrecords=10, startposition=0):
        records = self._records()
        if "where" in constraint:
            records = records.extra(where=[constraint["where"]], params=constraint["values"])
        total = records.count()
        start, stop = int(startposition), int(startposition) + int(maxrecords)
        if sortby is not None and sortby.get("spatial"):
            rows = sorted(
                records,
                key=lambda r: float(util.get_geometry_area(getattr(r, sortby["propertyname"]))),
                reverse=sortby["order"] == "DESC",
            )
            return [str(total), rows[start:stop]]
        if sortby is not None:
            name = sortby["propertyname"]
            if name in {f.name for f in Record._meta.get_fields()}:
                records = records.order_by(f"-{name}" if sortby["order"] == "DESC" else name)
        else:
            records = records.order_by("title")
        return [str(total), list(records[start:stop])]
