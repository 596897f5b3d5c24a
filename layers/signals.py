"""Keep layer tables and caches in step with the registry: a deleted layer takes its tables
along; a change of access level or style bumps the version (so cached tiles are not reused)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .dynamic import forget_models
from .models import Layer, next_version
from .storage import drop_layer_table, sync_reader_grants

VERSIONED_FIELDS = ("access", "style", "min_zoom", "max_zoom", "tile_settings", "attributes")


@receiver(pre_save, sender=Layer)
def bump_version_on_change(sender, instance: Layer, **kwargs):
    if not instance.pk:
        return
    old = Layer.objects.filter(pk=instance.pk).values("version", *VERSIONED_FIELDS).first()
    if old is None or old["version"] != instance.version:
        return  # new, or the caller set the new version itself (an import, a rollback)
    if any(old[f] != getattr(instance, f) for f in VERSIONED_FIELDS):
        instance.version = next_version()


@receiver(post_delete, sender=Layer)
def drop_tables(sender, instance: Layer, **kwargs):
    drop_layer_table(instance.table_name)
    forget_models(instance.table_name)


@receiver(post_save, sender=Layer)
def sync_reader(sender, instance: Layer, raw=False, **kwargs):
    if not raw:  # the analysts' role sees public layers only, whatever changed (storage.py)
        sync_reader_grants()
