"""Operations: health and readiness probes, structured access logs with request ids, a clean
503 when the database is away, backup / restore of the database and uploaded files, and the
local server processes (the portal under gunicorn) that tests and benchmarks start."""
