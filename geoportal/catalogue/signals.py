"""Keep each layer's catalogue record current: after the layer is saved or its version bumped
(data, style or access changed), after an import finishes, after staff edit its metadata."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from importers.models import ImportRun
from layers.events import version_bumped
from layers.models import Layer

from .models import Metadata

log = logging.getLogger(__name__)


def _refresh_later(layer_pk: int) -> None:
    def run():
        from .records import refresh

        layer = Layer.objects.filter(pk=layer_pk).first()
        if layer is None:
            return
        try:
            refresh(layer)
        except Exception:  # a record that cannot be written must not undo the layer's change
            log.exception("catalogue record of layer %s not refreshed", layer.slug)

    transaction.on_commit(run)


@receiver(post_save, sender=Layer)
def layer_saved(sender, instance: Layer, raw=False, **kwargs):
    if not raw:
        _refresh_later(instance.pk)


@receiver(version_bumped, sender=Layer)
def layer_bumped(sender, instance: Layer, **kwargs):
    _refresh_later(instance.pk)


@receiver(post_save, sender=Metadata)
def metadata_saved(sender, instance: Metadata, raw=False, **kwargs):
    if not raw:
        _refresh_later(instance.layer_id)


@receiver(post_save, sender=ImportRun)
def import_finished(sender, instance: ImportRun, raw=False, **kwargs):
    if raw or instance.status != ImportRun.Status.DONE:
        return
    layer = Layer.objects.filter(slug=instance.layer_slug).only("pk").first()
    if layer is not None:
        _refresh_later(layer.pk)
