"""Signals the layer registry sends, in a module of their own so that senders (models) and
receivers (signals, tiles) import them without importing each other."""

from django.dispatch import Signal

__all__ = ["version_bumped"]

# Sent by Layer.bump_version() (a queryset update, so post_save does not fire); arg: instance.
version_bumped = Signal()
