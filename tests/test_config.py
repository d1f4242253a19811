"""An admin edits config.yaml: good settings load, mistakes are named precisely, the token never comes from YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_CONFIG, load_settings
from bot.errors import ConfigError
from bot.secrets import read_token


def write(tmp_path: Path, text: str) -> Path:
    """A config file in a project laid out like ours: config/ beside corpus/, which holds one file."""
    (tmp_path / "corpus").mkdir(exist_ok=True)
    (tmp_path / "corpus" / "lab.yaml").touch()
    (tmp_path / "config").mkdir(exist_ok=True)
    path = tmp_path / "config" / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_config_loads_with_its_documented_values() -> None:
    settings = load_settings(DEFAULT_CONFIG, env={})
    assert settings.corpus[0].name == "alexander-meulemans.yaml"
    assert (settings.retrieval.weights.title, settings.retrieval.weights.abstract) == (1.0, 1.0)
    assert settings.discord.dev_guild_id is None
    assert settings.discord.message_content_intent is False
    assert (settings.conversation.idle_minutes, settings.conversation.max_active) == (10, 10_000)


def test_an_empty_file_means_all_defaults_and_paths_resolve_from_the_config_files_directory(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    (tmp_path / "corpus" / "ada.yaml").touch()
    settings = load_settings(path, env={})
    assert settings.corpus == (tmp_path / "corpus" / "ada.yaml", tmp_path / "corpus" / "lab.yaml")
    assert settings.glossary == tmp_path / "config" / "glossary.yaml"
    assert settings.log_level == "INFO"


def test_a_config_anywhere_resolves_its_paths_against_its_own_directory(tmp_path: Path) -> None:
    elsewhere = tmp_path / "etc" / "paperbot.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("corpus: [lab/*.yaml, ../shared.yaml]\nglossary: terms.yaml\n", encoding="utf-8")
    (tmp_path / "etc" / "lab").mkdir()
    (tmp_path / "etc" / "lab" / "ada.yaml").write_text("", encoding="utf-8")
    settings = load_settings(elsewhere, env={})
    assert settings.corpus == (tmp_path / "etc" / "lab" / "ada.yaml", tmp_path / "shared.yaml")
    assert settings.glossary == tmp_path / "etc" / "terms.yaml"


def test_a_pattern_that_matches_no_corpus_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config\.yaml: corpus: expected paths or patterns of corpus files \(.*"
                       r"nowhere/\*\.yaml matches no file\)"):  # fmt: skip
        load_settings(write(tmp_path, "corpus: [nowhere/*.yaml]\n"), env={})


def test_local_yaml_is_merged_over_the_config_key_by_key_and_named_in_its_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "log_level: WARNING\nretrieval:\n  max_results: 4\n  max_listed: 30\n")
    local = tmp_path / "config" / "local.yaml"
    local.write_text("retrieval:\n  max_results: 2\ndiscord:\n  listen_channels: [42]\n", encoding="utf-8")
    settings = load_settings(path, env={})
    assert (settings.log_level, settings.retrieval.max_results, settings.retrieval.max_listed) == ("WARNING", 2, 30)
    assert settings.discord.listen_channels == (42,)
    local.write_text("retrieval:\n  max_results: 99\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={})
    assert str(err.value).startswith(f"{local}: retrieval.max_results: expected a whole number from 1 to 10")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("retrieval:\n  max_reslts: 3\n", "retrieval.max_reslts: unknown key"),
        ("retrieval:\n  max_results: three\n", "retrieval.max_results: expected a whole number"),
        ("retrieval:\n  max_results: 50\n", "retrieval.max_results: expected a whole number from 1 to 10"),
        ("retrieval:\n  weights:\n    title: -1\n", "retrieval.weights.title: expected a number from 0 to 100"),
        ("retrieval:\n  word_ngrams: [3, 1]\n", "retrieval.word_ngrams: expected [low, high]"),
        ("retrieval:\n  min_confidence: 1.5\n", "retrieval.min_confidence: expected a number from 0 to 1"),
        ("retrieval:\n  sure_confidence: -1\n", "retrieval.sure_confidence: expected a number from 0 to 1"),
        ("log_level: LOUD\n", "log_level: expected one of DEBUG"),
        ("discord:\n  dev_guild_id: abc\n", "discord.dev_guild_id: expected a Discord id"),
        ("discord:\n  answer_in_threads: yes please\n", "discord.answer_in_threads: expected true or false"),
        ("discord:\n  listen_channels: [12, -3]\n", "discord.listen_channels: expected a list of Discord ids"),
        ("discord:\n  api_base_url: ftp://x\n", "discord.api_base_url: expected a URL starting with https://"),
        ("discord:\n  endpoint:\n    public_key: abc\n",
         "discord.endpoint.public_key: expected the application's public key from the developer portal: 64 hex"),
        ("discord:\n  endpoint:\n    public_key: " + "ab" * 32 + "\n    workers: 0\n",
         "discord.endpoint.workers: expected a whole number from 1 to 64"),
        ("discord:\n  endpoint:\n    port: 80800\n", "discord.endpoint.port: expected a whole number from 1 to 65535"),
        ("conversation:\n  idle_minutes: 0\n", "conversation.idle_minutes: expected a number from 1 to 1440"),
        ("conversation:\n  max_active: many\n", "conversation.max_active: expected a whole number"),
        ("conversation:\n  idle: 5\n", "conversation.idle: unknown key"),
        ("corpus: []\n", "corpus: expected a non-empty list"),
        ("retrieval: [1]\n", "retrieval: expected a mapping"),
        ("- a\n- b\n", "expected a mapping of settings at the top level"),
        ("retrieval:\n  max_results: 3\n bad: indent\n", "line 3, column 2: YAML syntax error"),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={})
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_a_token_in_the_yaml_is_refused_and_not_echoed(tmp_path: Path) -> None:
    path = write(tmp_path, "discord:\n  token: MTIzNDU2.secret.value\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={})
    assert "never read from the config file" in str(err.value)
    assert "MTIzNDU2" not in str(err.value)


def test_non_utf8_config_is_reported_with_the_offset(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"log_level: INFO\n\xff\n")
    with pytest.raises(ConfigError, match=r"byte offset 16 \(line 2\): byte 0xff is not UTF-8"):
        load_settings(path, env={})


def test_a_missing_config_file_says_how_to_point_at_another(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no such file \(expected a paperbot config file; BOT_CONFIG can"):
        load_settings(tmp_path / "nope.yaml", env={})


def test_environment_overrides_single_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "log_level: INFO\n")
    env = {"BOT_LOG_LEVEL": "debug", "BOT_MAX_RESULTS": "5", "BOT_DEV_GUILD_ID": "123", "BOT_CORPUS": "a.yaml,b.yaml"}
    settings = load_settings(path, env=env)
    assert settings.log_level == "DEBUG"
    assert settings.retrieval.max_results == 5
    assert settings.discord.dev_guild_id == 123
    assert [p.name for p in settings.corpus] == ["a.yaml", "b.yaml"]
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={"BOT_MAX_RESULTS": "abc"})
    expected = "environment variable BOT_MAX_RESULTS: retrieval.max_results: expected a whole number, got 'abc'"
    assert str(err.value) == expected


def test_bot_config_points_at_another_file(tmp_path: Path) -> None:
    path = write(tmp_path, "log_level: WARNING\n")
    assert load_settings(env={"BOT_CONFIG": str(path)}).log_level == "WARNING"


def test_the_token_comes_from_the_environment_or_a_secret_file(tmp_path: Path) -> None:
    assert read_token({"DISCORD_TOKEN": " abc.def \n"}) == "abc.def"
    secret = tmp_path / "discord_token"
    secret.write_text("from-file-token\n", encoding="utf-8")
    assert read_token({"DISCORD_TOKEN_FILE": str(secret)}) == "from-file-token"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "no Discord token: set DISCORD_TOKEN"),
        ({"DISCORD_TOKEN_FILE": "/nonexistent/token"}, "DISCORD_TOKEN_FILE names a file that does not exist"),
    ],
)
def test_a_missing_token_says_where_to_put_it(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        read_token(env)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_an_empty_token_file_is_reported(tmp_path: Path) -> None:
    secret = tmp_path / "token"
    secret.write_text("\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="the file is empty"):
        read_token({"DISCORD_TOKEN_FILE": str(secret)})


def test_the_endpoint_is_set_by_its_public_key_and_read_as_hex_from_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert load_settings(path, env={}).discord.endpoint is None, "no key: interactions over the gateway"
    digits = "1" * 63 + "0"  # all decimal digits: YAML would read a number
    env = {"BOT_ENDPOINT_PUBLIC_KEY": digits, "BOT_ENDPOINT_WORKERS": "3"}
    endpoint = load_settings(path, env=env).discord.endpoint
    assert endpoint is not None and endpoint.public_key == digits and endpoint.workers == 3 and endpoint.port == 8080
    assert load_settings(path, env={"BOT_ENDPOINT_PUBLIC_KEY": ""}).discord.endpoint is None
