"""When a layer changes (save, version bump, delete): unlink its public cache links once the
change is committed, so the front server stops serving its old tiles directly, and make every
process reload its snapshot of public layers (tiles.registry) now and after the commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from layers.events import version_bumped
from layers.models import Layer

from . import cache, registry


@receiver(post_save, sender=Layer)
@receiver(post_delete, sender=Layer)
@receiver(version_bumped, sender=Layer)
def forget_public_tiles(sender, instance: Layer, **kwargs):
    slug = instance.slug
    registry.bump_generation()

    def committed():
        cache.forget(slug)
        registry.bump_generation()

    transaction.on_commit(committed)
