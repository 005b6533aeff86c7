"""bot.runner and bot.logs: exit codes, messages, and the token kept out of logs."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest
from botdoubles import TOKEN, make_settings
from telegram.error import InvalidToken

from bot import runner
from bot.logs import REDACTED, configure_logging
from bot.runner import EXIT_USAGE, run_bot


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@pytest.fixture(autouse=True)
def restore_logging() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("no_terminal")
def test_no_token_and_no_terminal_exits_2_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run_bot()

    assert code == EXIT_USAGE
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


@pytest.mark.usefixtures("no_terminal")
def test_bad_settings_exit_2_listing_every_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "oops " + TOKEN)
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    monkeypatch.setenv("WEBHOOK_SECRET", "abc")

    code = run_bot()

    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert [line.split(":")[0].strip() for line in err.splitlines()[1:]] == [
        "TELEGRAM_BOT_TOKEN",
        "LOG_LEVEL",
        "WEBHOOK_URL",
    ]
    assert TOKEN not in err


def test_log_filter_redacts_the_token_in_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", TOKEN, stream=stream)
    logger = logging.getLogger("tests.bot.redaction")

    logger.info("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    logger.debug("Bot[token=%s]", TOKEN)
    try:
        raise RuntimeError(f"request to /bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        logger.exception("failed")

    output = stream.getvalue()
    assert TOKEN not in output
    for expected in ("bot<token>/getMe", "Bot[token=<token>]", "/bot<token>/sendMessage failed"):
        assert expected.replace("<token>", REDACTED) in output


def test_httpx_logs_only_warnings() -> None:
    configure_logging("DEBUG", TOKEN, stream=io.StringIO())

    assert logging.getLogger("httpx").level == logging.WARNING


class StubApplication:
    """Stands in for the Application: records how it was asked to run."""

    def __init__(self, error: Exception | None = None) -> None:
        self.runs: list[tuple[str, dict[str, object]]] = []
        self.error = error

    def run_polling(self, **options: object) -> None:
        self.runs.append(("polling", options))
        if self.error:
            raise self.error

    def run_webhook(self, **options: object) -> None:
        self.runs.append(("webhook", options))


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> StubApplication:
    application = StubApplication()
    monkeypatch.setattr(runner, "build_application", lambda settings: application)
    return application


def test_polling_without_webhook_settings(stub: StubApplication) -> None:
    code = run_bot(make_settings())

    assert code == 0
    [(mode, options)] = stub.runs
    assert mode == "polling"
    assert options["allowed_updates"] == ["message", "callback_query", "inline_query"]


def test_webhook_mode_passes_the_secret_and_the_urls_path(stub: StubApplication) -> None:
    settings = make_settings(
        webhook_url="https://bot.example.org/tg/hook", webhook_secret="s3cret", webhook_port=9000
    )

    code = run_bot(settings)

    assert code == 0
    [(mode, options)] = stub.runs
    assert mode == "webhook"
    assert options["secret_token"] == "s3cret"
    assert options["url_path"] == "tg/hook"
    assert options["webhook_url"] == "https://bot.example.org/tg/hook"
    assert options["port"] == 9000


def test_a_rejected_token_exits_1_with_one_line(
    stub: StubApplication, caplog: pytest.LogCaptureFixture
) -> None:
    stub.error = InvalidToken("Unauthorized")

    code = run_bot(make_settings())

    assert code == 1
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in caplog.text
