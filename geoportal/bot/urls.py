"""URL of the bot's webhook (give it to setWebhook: docs/telegram-bot.md)."""

from django.urls import path

from . import views

urlpatterns = [path("telegram/webhook", views.webhook, name="telegram-webhook")]
