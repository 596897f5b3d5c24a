"""When a layer changes (save, version bump, delete): unlink its public cache links once the
change is committed, so the front server stops serving its old tiles directly, make every
process reload its snapshot of public layers (tiles.registry) now and after the commit, and
rebuild the layer's overviews (tiles.overviews) from the committed data."""

import logging

from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from layers.events import version_bumped
from layers.models import Layer

from . import cache, overviews, registry

log = logging.getLogger(__name__)


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


@receiver(post_save, sender=Layer)
@receiver(version_bumped, sender=Layer)
def refresh_overviews(sender, instance: Layer, raw=False, **kwargs):
    if raw or not overviews.overviews(instance):
        return
    pk = instance.pk

    def committed():
        layer = Layer.objects.filter(pk=pk).first()
        if layer is None:
            return
        try:
            overviews.refresh(layer)
        except DatabaseError:  # the renderer builds them on the next tile (ensure_current)
            log.exception("overviews of layer %s not rebuilt", layer.slug)

    transaction.on_commit(committed)


@receiver(post_delete, sender=Layer)
def drop_overviews(sender, instance: Layer, **kwargs):
    overviews.drop(instance)
