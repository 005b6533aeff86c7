"""bot.config: one Settings class; every bad value reported at once, the token never echoed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, SettingsError, load_settings

SECRET_TOKEN = "987654:very-secret-token-value"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No variable or .env from the machine running the tests leaks in."""
    monkeypatch.chdir(tmp_path)
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "TELEGRAM_BASE_FILE_URL",
        "KNOWLEDGE_DB",
        "SEEDS_DIR",
        "ADMIN_IDS",
        "ANSWER_THRESHOLD",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "WEBHOOK_LISTEN",
        "WEBHOOK_PORT",
        "LOG_LEVEL",
        "RATE_LIMITER",
        "RATE_LIMIT_RETRIES",
        "CONCURRENT_UPDATES",
    ):
        monkeypatch.delenv(name, raising=False)


def problems(monkeypatch: pytest.MonkeyPatch, **environment: str) -> list[str]:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    return caught.value.problems


def test_defaults_need_no_environment() -> None:
    settings = load_settings()

    assert settings.telegram_bot_token is None
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.knowledge_db == Path("data/knowledge.sqlite3")
    assert settings.answer_threshold is None


def test_values_are_read_from_the_environment_and_dotenv(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("ADMIN_IDS=1, 2,3\nLOG_LEVEL=debug\n", encoding="utf-8")
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")

    settings = load_settings()

    assert (settings.admin_ids, settings.log_level) == ((1, 2, 3), "DEBUG")
    assert settings.telegram_base_url == "http://127.0.0.1:8081/bot"


def test_every_bad_value_is_listed_at_once_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = problems(
        monkeypatch,
        TELEGRAM_BOT_TOKEN="not a token",
        TELEGRAM_BASE_URL="ftp://example.org",
        ADMIN_IDS="1,two",
        ANSWER_THRESHOLD="101",
        WEBHOOK_PORT="70000",
        LOG_LEVEL="LOUD",
        WEBHOOK_URL="https://bot.example.org/hook",
    )

    assert [line.split(":")[0] for line in found] == [
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BASE_URL",
        "ADMIN_IDS",
        "ANSWER_THRESHOLD",
        "WEBHOOK_PORT",
        "LOG_LEVEL",
        "WEBHOOK_SECRET",
    ]


def test_the_token_is_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    found = problems(monkeypatch, TELEGRAM_BOT_TOKEN=SECRET_TOKEN + " ", LOG_LEVEL="LOUD")

    assert "TELEGRAM_BOT_TOKEN" in found[0]
    assert SECRET_TOKEN not in "\n".join(found)


def test_settings_repr_hides_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", SECRET_TOKEN)

    assert SECRET_TOKEN not in repr(load_settings())


@pytest.mark.parametrize(
    ("environment", "missing"),
    [
        ({"WEBHOOK_URL": "https://bot.example.org/hook"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_SECRET": "s3cret_-"}, "WEBHOOK_URL"),
    ],
)
def test_webhook_url_and_secret_come_together(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], missing: str
) -> None:
    found = problems(monkeypatch, **environment)

    assert len(found) == 1
    assert found[0].startswith(f"{missing}: must be set because")


def test_webhook_secret_has_telegrams_alphabet(monkeypatch: pytest.MonkeyPatch) -> None:
    found = problems(
        monkeypatch, WEBHOOK_URL="https://bot.example.org/hook", WEBHOOK_SECRET="no spaces!"
    )

    assert found == ["WEBHOOK_SECRET: must be 1-256 characters of A-Z, a-z, 0-9, _ and -"]


def test_webhook_path_comes_from_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", "abc")

    assert load_settings().webhook_path == "telegram/hook"


ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_env_example_loads_as_is(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(ENV_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")

    settings = load_settings()

    assert settings.telegram_bot_token is None
    assert settings.webhook_url is None


def test_env_example_names_and_comments_every_variable() -> None:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    named = {}
    for number, line in enumerate(lines):
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            above = number - 1
            while above >= 0 and lines[above] and not lines[above].startswith("#"):
                above -= 1
            named[name] = above >= 0 and lines[above].startswith("#")

    assert set(named) == {field.upper() for field in Settings.model_fields}
    assert all(named.values())
