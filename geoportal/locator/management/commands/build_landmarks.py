"""``manage.py build_landmarks [--layer SLUG]``: rebuild the landmark registry."""

from django.core.management.base import BaseCommand, CommandError

from layers.models import Layer

from ...registry import build_landmarks, ensure_fresh, source_config


class Command(BaseCommand):
    help = "Rebuild the landmark registry from the source layers (all, or one)."

    def add_arguments(self, parser):
        parser.add_argument("--layer", help="slug of one source layer")

    def handle(self, *args, **opts):
        slug = opts.get("layer")
        if slug:
            layer = Layer.objects.filter(slug=slug).first()
            if layer is None:
                raise CommandError(f"no layer {slug!r}")
            if not source_config(layer):
                raise CommandError(
                    f"layer {slug!r} is not a landmark source (set landmark_ref, "
                    "street_name_field or address_fields)"
                )
            # Streets must exist before points can take their names.
            ensure_fresh(now=True)
            count = build_landmarks(layer, force=True)
            self.stdout.write(f"{slug}: {count} landmarks")
            return
        rebuilt = ensure_fresh(force=True)
        self.stdout.write(f"rebuilt {len(rebuilt)} source layers: {', '.join(rebuilt)}")
