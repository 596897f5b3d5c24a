"""Signals the reports app sends, for apps above or beside it (the messenger bot) that must not
be imported from here."""

from django.dispatch import Signal

__all__ = ["status_changed"]

# Sent after a status change commits (workflow.change_status); arg: update (ReportUpdate).
status_changed = Signal()
