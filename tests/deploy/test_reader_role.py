"""The analysts' read-only role geoportal_reader, as QGIS would use it: a login role in it
connects to the test database and may read the public layers' tables and nothing else (no
staff-only or restricted layer, no kept version, no report or account of the portal)."""

import psycopg
import pytest
from django.db import connection

from devtools.pgcluster import default_cluster
from layers.models import Access, Layer
from layers.storage import SCHEMA, qualified

pytestmark = pytest.mark.django_db
ANALYST = "test_analyst_qgis"


@pytest.fixture(scope="module")
def analyst(django_db_setup, django_db_blocker):
    """A LOGIN role in geoportal_reader (what an operator makes for an analyst)."""
    if connection.settings_dict.get("PASSWORD"):
        pytest.skip("needs the embedded cluster's socket (trust for its own user)")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {ANALYST}")
        cursor.execute(f"CREATE ROLE {ANALYST} LOGIN IN ROLE geoportal_reader")
    yield ANALYST
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {ANALYST}")
        cursor.execute(f"DROP ROLE {ANALYST}")


def connect_as(role: str) -> psycopg.Connection:
    dsn = default_cluster().dsn(connection.settings_dict["NAME"])
    dsn["host"], dsn["port"] = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
    return psycopg.connect(**{**dsn, "user": role}, autocommit=True)


def can_read(conn, table_sql: str) -> bool:
    try:
        conn.execute(f"SELECT count(*) FROM {table_sql}").fetchone()
        return True
    except psycopg.errors.InsufficientPrivilege:
        return False


def test_the_reader_reads_public_layers_and_nothing_else(analyst, demo_layers):
    public = [layer for layer in demo_layers.values() if layer.access == Access.PUBLIC]
    hidden = [layer for layer in demo_layers.values() if layer.access != Access.PUBLIC]
    assert public and hidden, "the demo has public and staff-only layers"
    with connect_as(analyst) as conn:
        for layer in public:
            if not layer.is_raster:
                assert can_read(conn, qualified(layer.table_name)), layer.slug
        for layer in hidden:
            if not layer.is_raster:
                assert not can_read(conn, qualified(layer.table_name)), layer.slug
        for table in ("auth_user", "reports_report", "authtoken_token", "layers_layer"):
            assert not can_read(conn, f"public.{table}"), table
        rows = conn.execute(
            "SELECT count(*) FROM information_schema.table_privileges "
            "WHERE grantee = 'geoportal_reader' AND table_schema = 'layerdata_history'"
        ).fetchone()[0]
        assert rows == 0, "kept versions stay out of the reader's reach"


def test_a_change_of_access_moves_the_grant(analyst, demo_layers):
    """In the test's transaction (rolled back after): SET ROLE to the analyst sees the grants
    the registry just wrote."""
    layer = next(
        lay for lay in demo_layers.values() if lay.access == Access.PUBLIC and not lay.is_raster
    )
    staff = next(
        lay for lay in demo_layers.values() if lay.access == Access.STAFF and not lay.is_raster
    )

    def readable(table: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT r")
            cursor.execute(f"SET LOCAL ROLE {analyst}")
            try:
                cursor.execute(f"SELECT 1 FROM {qualified(table, SCHEMA)} LIMIT 1")
                ok = True
            except Exception:
                ok = False
            cursor.execute("ROLLBACK TO SAVEPOINT r")
            cursor.execute("RESET ROLE")
            return ok

    assert readable(layer.table_name) and not readable(staff.table_name)
    fresh = Layer.objects.get(pk=layer.pk)
    fresh.access = Access.STAFF
    fresh.save()
    other = Layer.objects.get(pk=staff.pk)
    other.access = Access.PUBLIC
    other.save()
    assert not readable(layer.table_name)
    assert readable(staff.table_name)
