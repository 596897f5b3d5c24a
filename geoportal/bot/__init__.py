"""Residents report through a Telegram bot (webhook behind the portal); see README.md."""
