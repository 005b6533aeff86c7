"""The bot's settings: one class that reads the environment and ``.env``.

A bad value fails at start with every problem listed at once, one line each,
naming the variable and never echoing the value (the token least of all).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(Exception):
    """The environment holds values the bot cannot start with; ``problems`` lists them all."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def report(self) -> str:
        """What a command line prints: a heading, then one indented line per problem."""
        return "Cannot start, the settings have problems:\n" + "".join(
            f"  {problem}\n" for problem in self.problems
        )


class Settings(BaseSettings):
    """Everything the bot reads from its environment; see ``.env.example``."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
        hide_input_in_errors=True,
        env_ignore_empty=True,  # `NAME=` in .env means "not set"
    )

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    knowledge_db: Path = Path("data/knowledge.sqlite3")
    seeds_dir: Path = Path("seeds")
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    answer_threshold: float | None = Field(default=None, ge=0, le=100)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    log_level: LogLevel = "INFO"
    rate_limiter: bool = True
    rate_limit_retries: int = Field(default=3, ge=0, le=20)
    concurrent_updates: int = Field(default=64, ge=1, le=1024)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN.fullmatch(value.get_secret_value()):
            raise ValueError("does not look like a bot token (digits, a colon, then letters)")
        return value

    @field_validator("telegram_base_url", "telegram_base_file_url", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not all(re.fullmatch(r"-?\d+", part) for part in parts):
            raise ValueError("must be comma-separated integer user ids")
        return tuple(int(part) for part in parts)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="wrap")
    @classmethod
    def _webhook_pair(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """WEBHOOK_URL and WEBHOOK_SECRET come together, reported alongside any other problem."""
        problem: InitErrorDetails | None = None
        if isinstance(data, dict):
            has_url = bool(data.get("webhook_url"))
            has_secret = bool(data.get("webhook_secret"))
            if has_url != has_secret:
                missing, present = (
                    ("webhook_secret", "WEBHOOK_URL")
                    if has_url
                    else ("webhook_url", "WEBHOOK_SECRET")
                )
                problem = InitErrorDetails(
                    type=PydanticCustomError(
                        "webhook_pair",
                        f"must be set because {present} is (set both or neither)",
                    ),
                    loc=(missing,),
                    input=None,
                )
        try:
            settings = handler(data)
        except ValidationError as exc:
            if problem is None:
                raise
            details = [_reraisable(error) for error in exc.errors()]
            raise ValidationError.from_exception_data(
                exc.title, [*details, problem], hide_input=True
            ) from None
        if problem is not None:
            raise ValidationError.from_exception_data(cls.__name__, [problem], hide_input=True)
        return settings

    @property
    def webhook_path(self) -> str:
        """The path the webhook server listens on: the path part of WEBHOOK_URL."""
        return urlsplit(self.webhook_url or "").path.strip("/")


def _reraisable(error: Any) -> InitErrorDetails:
    """An error pydantic reported, in the shape it accepts back to combine with ours."""
    template = str(error["msg"]).replace("{", "{{").replace("}", "}}")
    return InitErrorDetails(
        type=PydanticCustomError("settings", template), loc=error["loc"], input=None
    )


def describe(error: ValidationError) -> list[str]:
    """One line per problem, each naming the environment variable, never its value."""
    lines = []
    for detail in error.errors(include_url=False, include_input=False, include_context=False):
        field = str(detail["loc"][0]) if detail["loc"] else "settings"
        message = detail["msg"].removeprefix("Value error, ")
        lines.append(f"{field.upper()}: {message}")
    return lines


def load_settings(**values: Any) -> Settings:
    """Settings from the environment and ``.env`` (``values`` override them, as in tests)."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None


def load_settings_or_exit() -> Settings:
    """Settings for a command line: on bad values, list them on stderr and exit with status 2."""
    try:
        return load_settings()
    except SettingsError as exc:
        sys.stderr.write(exc.report())
        raise SystemExit(2) from None
