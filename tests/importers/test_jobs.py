"""Background jobs: progress goes to the run through a connection of its own, and a cancel
request set by staff stops the job at its next progress report."""

import pytest
from django.db import connections

from importers.errors import ImportFailed
from importers.jobs import _ProgressWriter

pytestmark = pytest.mark.django_db


@pytest.fixture
def other():
    """A second connection in autocommit: it writes and reads what the job's writer sees."""
    db = connections.create_connection("default")
    yield db
    with db.cursor() as cur:
        cur.execute("DELETE FROM importers_importrun WHERE layer_slug = 'job-test'")
    db.close()


def test_progress_is_written_and_cancel_is_honoured(other):
    with other.cursor() as cur:
        cur.execute(
            "INSERT INTO importers_importrun (layer_slug, file_name, checksum, started_at, status, "
            "features_read, features_imported, features_repaired, features_rejected, warnings, "
            "error, progress, attributes, geometry_type, cancel_requested) VALUES ('job-test', "
            "'zones.geojson', '', now(), 'running', 0, 0, 0, 0, '[]', '', 0, '[]', '', false) "
            "RETURNING id"
        )
        run_id = cur.fetchone()[0]
    writer = _ProgressWriter(run_id)
    try:
        writer(25, 100)
        with other.cursor() as cur:
            cur.execute(
                "SELECT features_read, progress FROM importers_importrun WHERE id = %s", [run_id]
            )
            assert cur.fetchone() == (25, 0.25)
            cur.execute(
                "UPDATE importers_importrun SET cancel_requested = true WHERE id = %s", [run_id]
            )
        writer.last = 0.0
        with pytest.raises(ImportFailed, match="cancelled"):
            writer(50, 100)
    finally:
        writer.close()
