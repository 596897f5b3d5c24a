"""Calls to the Telegram Bot API through python-telegram-bot's ``Bot`` (sendMessage with an
inline keyboard, answerCallbackQuery, getFile and the file download), made from synchronous
Django code: the dialogue collects what to send (``Reply``, ``Ack``), then ``deliver`` runs it
in one event loop, outside any database access. Failures are logged, never raised: Telegram
must get its 200, or it delivers the same update again.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from . import conf

__all__ = ["Ack", "Reply", "deliver", "download"]

log = logging.getLogger(__name__)


@dataclass
class Reply:
    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)  # rows of (label, data)


@dataclass
class Ack:
    callback_query_id: str
    text: str = ""


def _bot() -> telegram.Bot:
    base = conf.api_url()
    return telegram.Bot(conf.token(), base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")


async def _send(bot: telegram.Bot, item) -> None:
    if isinstance(item, Ack):
        await bot.answer_callback_query(item.callback_query_id, text=item.text or None)
        return
    markup = None
    if item.buttons:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label[:64], callback_data=data) for label, data in row]
             for row in item.buttons]
        )  # fmt: skip
    await bot.send_message(item.chat_id, item.text[:4096], reply_markup=markup)


async def _deliver(items) -> None:
    async with _bot() as bot:
        for item in items:
            try:
                await _send(bot, item)
            except telegram.error.TelegramError as exc:
                log.warning("telegram: %s failed: %s", type(item).__name__, exc)


def deliver(items: list) -> None:
    """Send ``items`` (Reply, Ack) in order; log what fails."""
    if not items:
        return
    try:
        asyncio.run(_deliver(items))
    except (telegram.error.TelegramError, OSError) as exc:
        log.warning("telegram: Bot API unreachable: %s", exc)


async def _download(file_ids: list[str]) -> list[bytes]:
    out = []
    async with _bot() as bot:
        for file_id in file_ids:
            f = await bot.get_file(file_id)
            out.append(bytes(await f.download_as_bytearray()))
    return out


def download(file_ids: list[str]) -> list[bytes] | None:
    """The photos' bytes (getFile, then the file URL), or None when the Bot API fails."""
    if not file_ids:
        return []
    try:
        return asyncio.run(_download(file_ids))
    except (telegram.error.TelegramError, OSError) as exc:
        log.warning("telegram: photo download failed: %s", exc)
        return None
