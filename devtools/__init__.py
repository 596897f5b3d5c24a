"""Development infrastructure, not part of a deployment: the embedded PostgreSQL cluster that
`make demo` and `make test` run inside the checkout (``pgcluster``). Imports only ``core``."""
