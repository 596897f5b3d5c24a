"""A resident's chat with the bot: language, the report being put together (draft), the last
update handled (Telegram redelivers), and the reports filed from it (for status messages)."""

from django.db import models


class Chat(models.Model):
    chat_id = models.BigIntegerField(unique=True)
    lang = models.CharField(max_length=5, default="uk")
    draft = models.JSONField(default=dict, blank=True)
    last_update_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"telegram chat {self.chat_id}"


class ChatReport(models.Model):
    """A report filed from a chat: its status changes are sent there."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="reports")
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")

    class Meta:
        unique_together = [("chat", "report")]

    def __str__(self) -> str:
        return f"report {self.report_id} from {self.chat}"
