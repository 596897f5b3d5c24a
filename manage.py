#!/usr/bin/env python
"""Django's command-line utility. Starts the embedded PostGIS first when DATABASE_URL is unset."""

import os
import sys

NO_DB_COMMANDS = {"help", "version", "--help", "-h", "--version", "makemessages", "compilemessages"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if not os.environ.get("DATABASE_URL") and command not in NO_DB_COMMANDS:
        from devtools.pgcluster import ClusterError, default_cluster

        cluster = default_cluster()
        try:
            if not cluster.is_running():
                cluster.start()
                cluster.ensure_database()
        except ClusterError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(1)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
