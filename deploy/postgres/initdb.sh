#!/bin/sh
# Run once by the postgis image on a new data volume (docker-entrypoint-initdb.d), as the
# cluster's superuser: least privilege for everything after.
#   geoportal_app     the portal's login: owner of its database and so of its schemas and
#                     tables (it runs the migrations), not a superuser, no CREATEROLE
#   geoportal_reader  NOLOGIN group for analysts (QGIS straight to PostGIS): SELECT on the
#                     public layers' tables only, kept in sync by the portal
# PostGIS is created here, by the superuser (it is not a trusted extension).
set -eu
: "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE geoportal_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD :'app_password';
CREATE ROLE geoportal_reader NOLOGIN;
CREATE DATABASE geoportal OWNER geoportal_app;
REVOKE ALL ON DATABASE geoportal FROM PUBLIC;
GRANT CONNECT ON DATABASE geoportal TO geoportal_reader;
\connect geoportal
CREATE EXTENSION IF NOT EXISTS postgis;
ALTER SCHEMA public OWNER TO geoportal_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
