"""Loading the configuration once, at start, into typed `Settings`, with clear errors.

The settings are `config.yaml`, then `local.yaml` beside it when present (an admin's own changes,
untracked, so `git pull` never conflicts with them), then single keys from `BOT_*` environment
variables. Every error names where the wrong value came from: the file and key path, or the
environment variable. Relative paths resolve against the directory of the file that gives them;
paths from environment variables, against the working directory.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from bot.errors import ConfigError, got, marked, quoted
from bot.settings import (
    ConversationSettings,
    DiscordSettings,
    EndpointSettings,
    FieldWeights,
    LabSettings,
    RateLimits,
    RefreshSettings,
    ReplySettings,
    RetrievalSettings,
    Settings,
    SummarySettings,
)
from bot.yamlfile import read_yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "config.yaml"
LOCAL_NAME = "local.yaml"  # merged over the config file beside it
DEFAULT_CORPUS = "../corpus/*.yaml"  # relative to the config file's directory
DEFAULT_GLOSSARY = "glossary.yaml"
DEFAULT_DATA_DIR = "../data"  # relative to the config file's directory

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
REPLY_STYLES = ("full", "compact")

# Single keys an environment variable may override, for containers where editing YAML is awkward.
ENV_OVERRIDES: dict[str, str] = {
    "BOT_LOG_LEVEL": "log_level",
    "BOT_CORPUS": "corpus",  # comma-separated paths
    "BOT_GLOSSARY": "glossary",
    "BOT_MAX_RESULTS": "retrieval.max_results",
    "BOT_MIN_CONFIDENCE": "retrieval.min_confidence",
    "BOT_MIN_COVERAGE": "retrieval.min_coverage",
    "BOT_SURE_CONFIDENCE": "retrieval.sure_confidence",
    "BOT_SURE_COVERAGE": "retrieval.sure_coverage",
    "BOT_DEV_GUILD_ID": "discord.dev_guild_id",
    "BOT_HEARTBEAT_FILE": "discord.heartbeat_file",
    "BOT_API_BASE_URL": "discord.api_base_url",
    "BOT_GATEWAY_URL": "discord.gateway_url",
    "BOT_SHARD_COUNT": "discord.shard_count",
    "BOT_SHARD_IDS": "discord.shard_ids",  # comma-separated: one container's shards
    "BOT_ENDPOINT_PUBLIC_KEY": "discord.endpoint.public_key",
    "BOT_ENDPOINT_HOST": "discord.endpoint.host",
    "BOT_ENDPOINT_PORT": "discord.endpoint.port",
    "BOT_ENDPOINT_WORKERS": "discord.endpoint.workers",
}
MAX_SHARDS = 100_000  # far beyond Discord's largest bots; a typo like 1e9 is caught

_SECRET_KEYS = ("token", "discord_token", "bot_token", "secret")

T = TypeVar("T")


@dataclass(frozen=True)
class Origin:
    """Where a value came from: a name for messages, and the directory its relative paths start from."""

    name: str
    base: Path


class _Reader:
    """Reads typed values out of a mapping, naming the file and key path in every error."""

    def __init__(
        self, origin: Origin, data: Mapping[str, Any], path: str = "", overrides: Mapping[str, Origin] | None = None
    ) -> None:
        self.origin = origin
        self.data = data
        self.path = path
        self.overrides: Mapping[str, Origin] = overrides or {}  # dotted key -> where it was set instead
        self.seen: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def origin_of(self, key: str) -> Origin:
        """The file or variable that set `key` (or the section holding it)."""
        dotted = self.where(key)
        while dotted:
            if dotted in self.overrides:
                return self.overrides[dotted]
            dotted = dotted.rpartition(".")[0]
        return self.origin

    def fail(self, key: str, expected: str, value: object) -> ConfigError:
        return ConfigError(f"{self.origin_of(key).name}: {self.where(key)}: expected {expected}, got {got(value)}")

    def path_value(self, key: str, value: str) -> Path:
        """A path as written under `key`, resolved against the directory of the file that gave it."""
        path = Path(value).expanduser()
        # normpath, not resolve: "../corpus" reads better in messages, and symlinks stay as given.
        return path if path.is_absolute() else Path(os.path.normpath(self.origin_of(key).base / path))

    def get(self, key: str, default: T) -> Any:
        self.seen.add(key)
        value = self.data.get(key, default)
        return default if value is None and default is not None else value

    def section(self, key: str) -> _Reader:
        value = self.get(key, {})
        if not isinstance(value, Mapping):
            raise self.fail(key, "a mapping of settings", value)
        return _Reader(self.origin, value, self.where(key), self.overrides)

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "a number", value)
        if not low <= value <= high:
            raise self.fail(key, f"a number from {low:g} to {high:g}", value)
        return float(value)

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "a whole number", value)
        if not low <= value <= high:
            raise self.fail(key, f"a whole number from {low} to {high}", value)
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false", value)
        return value

    def string(self, key: str, default: str, choices: tuple[str, ...] = ()) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "a non-empty string", value)
        if choices and value not in choices:
            raise self.fail(key, "one of " + ", ".join(choices), value)
        return value

    def optional_id(self, key: str) -> int | None:
        value = self.data.get(key)
        self.seen.add(key)
        if value is None:
            return None
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(key, "a Discord id (a positive whole number) or null", value)
        return value

    def ids(self, key: str) -> tuple[int, ...]:
        value = self.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "a list of Discord ids", value)
        out: list[int] = []
        for item in value:
            if isinstance(item, str) and item.isdigit():
                item = int(item)
            if isinstance(item, bool) or not isinstance(item, int) or item <= 0:
                raise self.fail(key, "a list of Discord ids (positive whole numbers)", item)
            out.append(item)
        return tuple(out)

    def pair(self, key: str, default: tuple[int, int], low: int, high: int) -> tuple[int, int]:
        value = self.get(key, list(default))
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        )
        if not ok or not low <= value[0] <= value[1] <= high:
            raise self.fail(key, f"[low, high] whole numbers with {low} <= low <= high <= {high}", value)
        return (value[0], value[1])

    def url(self, key: str, default: str, schemes: tuple[str, ...]) -> str:
        value = self.string(key, default)
        if not value.startswith(tuple(f"{s}://" for s in schemes)):
            raise self.fail(key, "a URL starting with " + " or ".join(f"{s}://" for s in schemes), value)
        return value

    def finish(self) -> None:
        """Reject keys nobody read: a typo must not be silently ignored."""
        unknown = sorted(set(self.data) - self.seen)
        if not unknown:
            return
        key = unknown[0]
        where = self.origin_of(str(key)).name
        if str(key).lower() in _SECRET_KEYS:
            raise ConfigError(
                f"{where}: {self.where(str(key))}: the Discord token is never read from the config "
                "file; remove it and set DISCORD_TOKEN or DISCORD_TOKEN_FILE instead"
            )
        allowed = ", ".join(sorted(self.seen))
        name = f"{self.path}.{marked(str(key))}" if self.path else marked(str(key))
        raise ConfigError(f"{where}: {name}: unknown key (allowed here: {allowed})")


def _paths(reader: _Reader, key: str) -> tuple[Path, ...]:
    """Corpus files: paths or glob patterns ("../corpus/*.yaml"), in the order given, each once."""
    value = reader.get(key, [DEFAULT_CORPUS])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise reader.fail(key, "a non-empty list of corpus file paths", value)
    out: list[Path] = []
    for item in value:
        path = reader.path_value(key, item)
        if any(c in item for c in "*?["):
            matches = sorted(Path(p) for p in glob.glob(str(path)))
            if not matches:
                raise reader.fail(key, f"paths or patterns of corpus files ({path} matches no file)", item)
        else:
            matches = [path]
        out.extend(m for m in matches if m not in out)
    return tuple(out)


def _read_retrieval(r: _Reader) -> RetrievalSettings:
    w = r.section("weights")
    weights = FieldWeights(
        title=w.number("title", FieldWeights.title, 0, 100),
        abstract=w.number("abstract", FieldWeights.abstract, 0, 100),
        authors=w.number("authors", FieldWeights.authors, 0, 100),
        venue=w.number("venue", FieldWeights.venue, 0, 100),
    )
    w.finish()
    if weights.title + weights.abstract <= 0:
        raise r.fail("weights", "a positive weight on title or abstract", {"title": 0, "abstract": 0})
    settings = RetrievalSettings(
        weights=weights,
        word_ngrams=r.pair("word_ngrams", RetrievalSettings.word_ngrams, 1, 4),
        char_ngrams=r.pair("char_ngrams", RetrievalSettings.char_ngrams, 2, 8),
        variant_similarity=r.number("variant_similarity", RetrievalSettings.variant_similarity, 0.1, 1),
        min_confidence=r.number("min_confidence", RetrievalSettings.min_confidence, 0, 1),
        min_coverage=r.number("min_coverage", RetrievalSettings.min_coverage, 0, 1),
        sure_confidence=r.number("sure_confidence", RetrievalSettings.sure_confidence, 0, 1),
        sure_coverage=r.number("sure_coverage", RetrievalSettings.sure_coverage, 0, 1),
        relative_cutoff=r.number("relative_cutoff", RetrievalSettings.relative_cutoff, 0, 1),
        list_cutoff=r.number("list_cutoff", RetrievalSettings.list_cutoff, 0, 1),
        list_confidence=r.number("list_confidence", RetrievalSettings.list_confidence, 0, 1),
        max_results=r.integer("max_results", RetrievalSettings.max_results, 1, 10),
        max_listed=r.integer("max_listed", RetrievalSettings.max_listed, 1, 100),
        semantic=r.boolean("semantic", RetrievalSettings.semantic),
    )
    r.finish()
    return settings


def _read_discord(r: _Reader) -> DiscordSettings:
    rl = r.section("rate_limits")
    limits = RateLimits(
        per_channel_per_minute=rl.integer("per_channel_per_minute", RateLimits.per_channel_per_minute, 1, 10_000),
        global_per_minute=rl.integer("global_per_minute", RateLimits.global_per_minute, 1, 100_000),
    )
    rl.finish()
    heartbeat = r.get("heartbeat_file", None)
    if heartbeat is not None and (not isinstance(heartbeat, str) or not heartbeat):
        raise r.fail("heartbeat_file", "a file path or null", heartbeat)
    settings = DiscordSettings(
        dev_guild_id=r.optional_id("dev_guild_id"),
        listen_channels=r.ids("listen_channels"),
        message_content_intent=r.boolean("message_content_intent", DiscordSettings.message_content_intent),
        answer_in_threads=r.boolean("answer_in_threads", DiscordSettings.answer_in_threads),
        cooldown_seconds=r.number("cooldown_seconds", DiscordSettings.cooldown_seconds, 0, 3600),
        max_question_chars=r.integer("max_question_chars", DiscordSettings.max_question_chars, 10, 4000),
        view_timeout_seconds=r.number("view_timeout_seconds", DiscordSettings.view_timeout_seconds, 1, 86_400),
        defer_after_ms=r.integer("defer_after_ms", DiscordSettings.defer_after_ms, 0, 2900),
        page_size=r.integer("page_size", DiscordSettings.page_size, 1, 10),
        announce_channels=r.ids("announce_channels"),
        max_announcements=r.integer("max_announcements", DiscordSettings.max_announcements, 0, 50),
        rate_limits=limits,
        reload_requires_manage_guild=r.boolean(
            "reload_requires_manage_guild", DiscordSettings.reload_requires_manage_guild
        ),
        api_base_url=r.url("api_base_url", DiscordSettings.api_base_url, ("https", "http")).rstrip("/"),
        gateway_url=r.url("gateway_url", DiscordSettings.gateway_url, ("wss", "ws")),
        heartbeat_file=r.path_value("heartbeat_file", heartbeat) if heartbeat else None,
        **_read_shards(r),
        endpoint=_read_endpoint(r.section("endpoint")),
    )
    r.finish()
    return settings


def _read_endpoint(r: _Reader) -> EndpointSettings | None:
    """The HTTP interactions endpoint, or None (interactions over the gateway) when no public key is set."""
    key = r.get("public_key", None)
    host = r.string("host", EndpointSettings.host)
    port = r.integer("port", EndpointSettings.port, 1, 65_535)
    workers = r.integer("workers", EndpointSettings.workers, 1, 64)
    r.finish()
    if key is None:
        return None
    if not isinstance(key, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", key.strip()):
        raise r.fail("public_key", "the application's public key from the developer portal: 64 hexadecimal digits",
                     key)  # fmt: skip
    return EndpointSettings(public_key=key.strip().lower(), host=host, port=port, workers=workers)


def _read_shards(r: _Reader) -> dict[str, Any]:
    """`shard_count` (null: discord.py asks Discord) and this process' `shard_ids` out of it (null: all)."""
    count = r.get("shard_count", None)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_SHARDS):
        raise r.fail("shard_count", f"a whole number of shards from 1 to {MAX_SHARDS:,}, or null (Discord's advice)",
                     count)  # fmt: skip
    ids = r.get("shard_ids", None)
    if ids is None:
        return {"shard_count": count, "shard_ids": None}
    if count is None:
        raise r.fail("shard_ids", "null unless discord.shard_count is set (shard ids count from 0 to shard_count - 1)",
                     ids)  # fmt: skip
    expected = f"a non-empty list of shard ids from 0 to {count - 1} (shard_count is {count})"
    if not isinstance(ids, list) or not ids:
        raise r.fail("shard_ids", expected, ids)
    for i in ids:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < count:
            raise r.fail("shard_ids", expected, i)
        if ids.count(i) > 1:
            raise r.fail("shard_ids", "each shard id once", i)
    return {"shard_count": count, "shard_ids": tuple(ids)}


def _set_key(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[last] = value


def _merge(
    base: dict[str, Any], over: Mapping[str, Any], origin: Origin, overrides: dict[str, Origin], at: str = ""
) -> None:
    """Merge `over` into `base`: mappings key by key, anything else replaced; note who set what."""
    for key, value in over.items():
        dotted = f"{at}.{key}" if at else str(key)
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value, origin, overrides, dotted)
        else:
            base[key] = value
            overrides[dotted] = origin


def _env_value(name: str, key: str, raw: str) -> Any:
    """The YAML meaning of an override ("3" is a number, "null" is null), lists for BOT_CORPUS."""
    if key == "corpus":
        return [p.strip() for p in raw.split(",") if p.strip()]
    if key == "discord.endpoint.public_key":  # hex digits: never a number, whatever they happen to spell
        return raw.strip() or None
    if key == "discord.shard_ids" and not raw.strip().startswith("["):
        return [_env_value(name, "", p) for p in raw.split(",") if p.strip()] if raw.strip() else None
    try:
        return yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        raise ConfigError(f"environment variable {name}: not a valid value for {key}: {quoted(raw)}") from None


def read_config_file(path: Path) -> dict[str, Any]:
    """The raw mapping in a config file (empty: all defaults); errors name the file and the line."""
    data = read_yaml(path, "a paperbot config file; BOT_CONFIG can point at another one", ConfigError, allow_empty=True)
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ConfigError(f"{path}: expected a mapping of settings at the top level, got {kind}")
    return data


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read the config file, `local.yaml` beside it and the environment overrides, and validate them, once."""
    env = os.environ if env is None else env
    if path is None:
        path = Path(env["BOT_CONFIG"]) if env.get("BOT_CONFIG") else DEFAULT_CONFIG
    data = read_config_file(path)
    overrides: dict[str, Origin] = {}
    local = path.parent / LOCAL_NAME
    if local.is_file() and local.resolve() != path.resolve():
        _merge(data, read_config_file(local), Origin(str(local), local.resolve().parent), overrides)
    for name, key in ENV_OVERRIDES.items():
        if name in env:
            _set_key(data, key, _env_value(name, key, env[name]))
            overrides[key] = Origin(f"environment variable {name}", Path.cwd())
    origin = Origin(str(path), path.resolve().parent)
    return settings_from_mapping(data, origin, overrides, source=path)


def settings_from_mapping(
    data: Mapping[str, Any],
    origin: Origin,
    overrides: Mapping[str, Origin] | None = None,
    source: Path | None = None,
) -> Settings:
    """Validate an already-parsed mapping into `Settings`."""
    r = _Reader(origin, data, overrides=overrides)
    glossary = r.get("glossary", DEFAULT_GLOSSARY)
    if glossary is not None and (not isinstance(glossary, str) or not glossary):
        raise r.fail("glossary", "a file path or null", glossary)
    settings = Settings(
        corpus=_paths(r, "corpus"),
        glossary=r.path_value("glossary", glossary) if glossary else None,
        lab=_read_lab(r.section("lab")),
        refresh=_read_refresh(r.section("refresh")),
        data_dir=_data_dir(r),
        retrieval=_read_retrieval(r.section("retrieval")),
        summary=_read_summary(r.section("summary")),
        reply=_read_reply(r.section("reply")),
        conversation=_read_conversation(r.section("conversation")),
        log_level=_log_level(r),
        discord=_read_discord(r.section("discord")),
        source=source,
    )
    r.finish()
    return settings


def _read_refresh(r: _Reader) -> RefreshSettings:
    settings = RefreshSettings(every_hours=r.number("every_hours", RefreshSettings.every_hours, 0, 24 * 365))
    r.finish()
    return settings


def _data_dir(r: _Reader) -> Path | None:
    value = r.get("data_dir", DEFAULT_DATA_DIR)
    if value is not None and (not isinstance(value, str) or not value):
        raise r.fail("data_dir", "a folder path or null", value)
    return r.path_value("data_dir", value) if value else None


def _read_lab(r: _Reader) -> LabSettings:
    name = r.get("name", "")
    contact = r.get("contact", "")
    for key, value in (("name", name), ("contact", contact)):
        if not isinstance(value, str) or "\n" in value:
            raise r.fail(key, "text on one line", value)
    if contact and "@" not in contact:
        raise r.fail("contact", "an e-mail address (sources ask for one in requests)", contact)
    settings = LabSettings(name=name.strip(), contact=contact.strip())
    r.finish()
    return settings


def _read_summary(r: _Reader) -> SummarySettings:
    settings = SummarySettings(
        max_sentences=r.integer("max_sentences", SummarySettings.max_sentences, 1, 10),
        max_chars=r.integer("max_chars", SummarySettings.max_chars, 80, 1000),
    )
    r.finish()
    return settings


def _read_reply(r: _Reader) -> ReplySettings:
    settings = ReplySettings(
        style=r.string("style", ReplySettings.style, REPLY_STYLES),
        max_authors=r.integer("max_authors", ReplySettings.max_authors, 1, 100),
    )
    r.finish()
    return settings


def _read_conversation(r: _Reader) -> ConversationSettings:
    settings = ConversationSettings(
        idle_minutes=r.number("idle_minutes", ConversationSettings.idle_minutes, 1, 24 * 60),
        max_active=r.integer("max_active", ConversationSettings.max_active, 1, 1_000_000),
    )
    r.finish()
    return settings


def _log_level(r: _Reader) -> str:
    value = r.get("log_level", Settings.log_level)
    if not isinstance(value, str) or value.upper() not in LOG_LEVELS:
        raise r.fail("log_level", "one of " + ", ".join(LOG_LEVELS), value)
    return value.upper()
