"""Create the demo accounts (planner, dispatcher, analyst); print credentials only on creation."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token

from core.conf import setting
from geoportal.accounts.roles import ANALYSTS, DISPATCHERS, PLANNERS, assign_role

DEMO_USERS = [("planner", PLANNERS), ("dispatcher", DISPATCHERS), ("analyst", ANALYSTS)]


class Command(BaseCommand):
    help = "Create demo accounts with random passwords, printed once."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="use this password instead of a random one")

    def handle(self, *args, **opts):
        User = get_user_model()
        created = []
        for username, role in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            password = opts["password"] or secrets.token_urlsafe(9)
            user = User.objects.create_user(username=username, password=password)
            assign_role(user, role)
            token = Token.objects.create(user=user)
            created.append((username, role, password, token.key))
        if not created:
            self.stdout.write("demo accounts exist (credentials were printed when they were made)")
            return
        lines = [f"{u:<11} role {r:<12} password {p}   API token {t}" for u, r, p, t in created]
        default = str(settings.BASE_DIR / "var" / "demo-credentials.txt")
        out = Path(setting("GEOPORTAL_DEMO_CREDENTIALS", default))
        self.stdout.write(f"Demo accounts (shown once; also saved to {out}):")
        for line in lines:
            self.stdout.write("  " + line)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a") as fh:
            fh.write("\n".join(lines) + "\n")
        out.chmod(0o600)
