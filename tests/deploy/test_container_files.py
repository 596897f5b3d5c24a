"""docker-compose.yml, the Dockerfile and .dockerignore, checked statically (no container
engine on these machines): every service has a health check on the portal's probes and
rotated logs, the image is built in stages and runs as a non-root user with no `|| true`,
nothing of a checkout's data or secrets can enter the build context, the upload limit is one
variable for nginx and the portal, only nginx's own address is a trusted proxy, backups go to
a host folder, and the web service connects with its own non-superuser role."""

import fnmatch
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]


def test_every_service_has_a_health_check_and_rotated_logs():
    for name, service in SERVICES.items():
        check = service.get("healthcheck", {})
        assert check.get("test"), f"{name}: no health check"
        assert service["logging"]["options"]["max-size"], name
        assert int(service["logging"]["options"]["max-file"]) >= 2, name
        assert service.get("restart") == "unless-stopped", name
    assert "/readyz" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "/healthz" in " ".join(SERVICES["nginx"]["healthcheck"]["test"])
    assert SERVICES["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_image_is_multi_stage_slim_non_root_and_hides_no_failure():
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", DOCKERFILE, flags=re.M | re.I)
    assert len(stages) >= 3 and all("slim" in image for image, _ in stages)
    runtime = DOCKERFILE[DOCKERFILE.rindex("\nFROM ") :]
    assert re.search(r"^USER\s+(?!root|0\b)\w+", runtime, flags=re.M), "runs as root"
    for tool in ("build-essential", "npm", "nodejs", "-dev "):
        assert tool not in runtime, f"{tool} in the runtime stage"
    assert "|| true" not in DOCKERFILE and "||true" not in DOCKERFILE
    assert "requirements.lock" in DOCKERFILE  # pinned dependencies
    assert "build-frontend.sh" in DOCKERFILE and "HEALTHCHECK" in runtime


def ignored(path: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        bare = pattern.rstrip("/")
        if fnmatch.fnmatch(path, bare) or path.startswith(bare + "/"):
            return True
        if pattern.startswith("**/") and fnmatch.fnmatch(path.rsplit("/", 1)[-1], pattern[3:]):
            return True
    return False


def test_dockerignore_keeps_data_and_secrets_out_of_the_image():
    patterns = [
        ln.strip()
        for ln in (ROOT / ".dockerignore").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    for path in (".pg/data/PG_VERSION", "var/media/reports/a.jpg", "var/demo-credentials.txt",
                 ".venv/bin/python", "node_modules/leaflet/x.js", ".env", ".git/config",
                 "deploy/certs/privkey.pem", ".pg/superuser-password", "var/secret-key",
                 "backups/20260101T000000Z/database.dump.age"):  # fmt: skip
        assert ignored(path, patterns), f"{path} would be in the build context"
    for path in ("manage.py", "geoportal/settings.py", "requirements.lock", "deploy/entrypoint.sh"):
        assert not ignored(path, patterns), f"{path} is needed by the build"


def test_one_upload_limit_for_nginx_and_the_portal():
    web, nginx = SERVICES["web"]["environment"], SERVICES["nginx"]["environment"]
    assert web["GEOPORTAL_IMPORT_MAX_UPLOAD_MB"] == nginx["GEOPORTAL_MAX_UPLOAD_MB"]
    assert "${GEOPORTAL_MAX_UPLOAD_MB}" in (ROOT / "deploy/nginx/geoportal.conf").read_text()


def test_only_nginx_is_trusted_and_the_database_role_is_not_the_superuser():
    web = SERVICES["web"]["environment"]
    nginx_ip = SERVICES["nginx"]["networks"]["frontend"]["ipv4_address"]
    assert web["GEOPORTAL_TRUSTED_PROXIES"] == f'["{nginx_ip}"]'
    assert web["GEOPORTAL_NGINX_IP"] == nginx_ip and not nginx_ip.endswith(".1")
    assert "geoportal_app:" in web["DATABASE_URL"]
    assert SERVICES["db"]["environment"]["POSTGRES_USER"] == "postgres"
    init = (ROOT / "deploy/postgres/initdb.sh").read_text()
    assert "NOSUPERUSER" in init and "OWNER geoportal_app" in init
    assert COMPOSE["networks"]["backend"]["internal"] is True
    assert "ports" not in SERVICES["db"] and "ports" not in SERVICES["web"]


def test_backups_go_to_a_host_folder_and_web_runs_in_production_mode():
    web = SERVICES["web"]
    backup_dir = web["environment"]["GEOPORTAL_BACKUP_DIR"]
    assert any(v.endswith(":" + backup_dir) and v.startswith("${") for v in web["volumes"])
    assert web["environment"]["GEOPORTAL_DEBUG"] == "0"
    assert "GEOPORTAL_ALLOW_HTTP" not in web["environment"]


def test_the_nginx_config_is_valid_for_nginx(tmp_path):
    """Debian's nginx parses the rendered configuration (nginx -t), with a TLS certificate."""
    from geoportal.ops.localserver import render_nginx

    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=x", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)  # fmt: skip
    render_nginx(tmp_path, upstream="127.0.0.1:9", cache_dir=tmp_path, static_dir=tmp_path,
                 tls=(cert, key))  # fmt: skip
    res = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                         capture_output=True, text=True)  # fmt: skip
    assert res.returncode == 0, res.stderr


def test_the_lock_files_match_pyproject():
    res = subprocess.run([sys.executable, str(ROOT / "scripts/lock-deps.py"), "--check"],
                         capture_output=True, text=True)  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
