"""Settings of the catalogue (GEOPORTAL_CATALOGUE_...), read through core.conf.setting.
The responsible organisation and contact come from the one service configuration
(core.service.SERVICE)."""

from core.conf import setting

#: Records per GetRecords page when the client names no maxRecords, and the most it may ask.
DEFAULT_RECORDS = int(setting("GEOPORTAL_CATALOGUE_DEFAULT_RECORDS", 10))
MAX_RECORDS = int(setting("GEOPORTAL_CATALOGUE_MAX_RECORDS", 100))
#: Most results of the web map's JSON search (/api/v1/catalogue/).
SEARCH_LIMIT = int(setting("GEOPORTAL_CATALOGUE_SEARCH_LIMIT", 50))
