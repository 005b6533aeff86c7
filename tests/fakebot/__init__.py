"""A fake Telegram Bot API server and Update factories for end-to-end bot tests."""

from .server import FakeBotApi, PushedUpdate, RecordedRequest

__all__ = ["FakeBotApi", "PushedUpdate", "RecordedRequest"]
