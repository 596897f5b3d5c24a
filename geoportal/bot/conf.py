"""Settings of the Telegram bot (GEOPORTAL_TELEGRAM_*), read on every call so the bot is off
(its webhook answers 404) until a token and a webhook secret are configured."""

from core.conf import setting

__all__ = ["api_url", "enabled", "secret", "token"]


def token() -> str:
    """The bot's token from BotFather ("" = the bot is off)."""
    return str(setting("GEOPORTAL_TELEGRAM_TOKEN", "") or "")


def secret() -> str:
    """The secret_token given to setWebhook; Telegram sends it in X-Telegram-Bot-Api-Secret-Token."""
    return str(setting("GEOPORTAL_TELEGRAM_WEBHOOK_SECRET", "") or "")


def api_url() -> str:
    """Base URL of the Bot API (a local Bot API server, or a stand-in in tests)."""
    return str(setting("GEOPORTAL_TELEGRAM_API_URL", "https://api.telegram.org")).rstrip("/")


def enabled() -> bool:
    return bool(token() and secret())


# Longest text kept from one resident's messages (the report's description limit applies too).
MAX_TEXT = 2000
# Photos kept per report (the intake's limit applies too).
MAX_PHOTOS = 3
