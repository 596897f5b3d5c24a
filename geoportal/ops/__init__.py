"""Operations: health and readiness probes, structured access logs with request ids, a clean
503 when the database is away, and backup / restore of the database and uploaded files."""
