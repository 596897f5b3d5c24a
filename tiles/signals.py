"""Unlink a layer's public cache links when it changes (save, version bump, delete), once the
change is committed, so the front server stops serving its old tiles directly."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from layers.models import Layer
from layers.signals import version_bumped

from . import cache


@receiver(post_save, sender=Layer)
@receiver(post_delete, sender=Layer)
@receiver(version_bumped, sender=Layer)
def forget_public_tiles(sender, instance: Layer, **kwargs):
    slug = instance.slug
    transaction.on_commit(lambda: cache.forget(slug))
