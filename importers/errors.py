"""Import errors: each names the file, row or element at fault and maps to HTTP 400."""

from core.errors import PortalError


class ImportFailed(PortalError):
    status = 400
    code = "import-failed"
