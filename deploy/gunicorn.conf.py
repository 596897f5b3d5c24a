"""gunicorn's settings in the image (docker-compose.yml): from the environment, with the
production defaults. The proxy headers (X-Forwarded-Proto, -For) are believed only from
GEOPORTAL_NGINX_IP, the nginx container's fixed address, not from the whole network."""

import os

bind = os.environ.get("GEOPORTAL_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GEOPORTAL_WORKERS", "4"))
threads = int(os.environ.get("GEOPORTAL_THREADS", "4"))
timeout = int(os.environ.get("GEOPORTAL_WORKER_TIMEOUT", "120"))
forwarded_allow_ips = os.environ.get("GEOPORTAL_NGINX_IP", "127.0.0.1")
accesslog = None  # the portal writes its own access record (geoportal.access, JSON)
errorlog = "-"
