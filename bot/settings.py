"""Typed settings: what `config.yaml` holds once it has been validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FieldWeights:
    title: float = 1.0
    abstract: float = 1.0
    authors: float = 0.6
    venue: float = 0.3


@dataclass(frozen=True)
class RetrievalSettings:
    weights: FieldWeights = field(default_factory=FieldWeights)
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    variant_similarity: float = 0.66
    min_confidence: float = 0.39
    min_coverage: float = 0.0
    sure_confidence: float = 0.8
    sure_coverage: float = 0.0
    relative_cutoff: float = 0.6
    list_cutoff: float = 0.3  # the same, for "which papers are about X?": every paper that answers, down to this
    list_confidence: float = 0.2  # and there, after the first, a paper answers at this confidence
    max_results: int = 3
    max_listed: int = 25
    semantic: bool = False  # order the papers by meaning too (the semantic extra): bot.semantic.ordering


@dataclass(frozen=True)
class SummarySettings:
    max_sentences: int = 2
    max_chars: int = 420


@dataclass(frozen=True)
class ReplySettings:
    style: str = "full"  # "full" or "compact"
    max_authors: int = 8


@dataclass(frozen=True)
class ConversationSettings:
    idle_minutes: float = 10.0  # a conversation idle this long is forgotten: the next question starts anew
    max_active: int = 10_000  # conversations kept at most; the least recently used goes first


@dataclass(frozen=True)
class RateLimits:
    # A room asking at once after a talk (200 members) gets through; a raid of many accounts on
    # one channel is cut to 5 questions a second. The global limit matches Discord's own global
    # limit on a bot's requests (50 a second). One member's flood is the cooldown's job.
    per_channel_per_minute: int = 300
    global_per_minute: int = 3000


@dataclass(frozen=True)
class EndpointSettings:
    """Discord's HTTP interactions endpoint: where to listen, in how many processes, and the key
    Discord signs requests with (the application's public key: public, so it may sit in YAML)."""

    public_key: str
    host: str = "0.0.0.0"  # Discord reaches the endpoint from outside: every interface
    port: int = 8080
    workers: int = 2  # processes sharing the port: a burst is answered by all of them at once


@dataclass(frozen=True)
class DiscordSettings:
    dev_guild_id: int | None = None
    listen_channels: tuple[int, ...] = ()
    message_content_intent: bool = False
    answer_in_threads: bool = False  # a question in a listen channel is answered in a new thread
    cooldown_seconds: float = 3.0
    max_question_chars: int = 500
    view_timeout_seconds: float = 300.0
    defer_after_ms: int = 1500
    page_size: int = 5
    rate_limits: RateLimits = field(default_factory=RateLimits)
    reload_requires_manage_guild: bool = True
    announce_channels: tuple[int, ...] = ()  # channels that hear about new papers after a refresh
    max_announcements: int = 5  # cards per refresh; "and N more" beyond
    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    heartbeat_file: Path | None = None
    # Sharding: None lets discord.py ask Discord how many shards to run (all in this process).
    # Several processes each run their own shard_ids out of the same shard_count.
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    # Set: interactions come over HTTP (Discord's Interactions Endpoint URL), the gateway keeps mentions and DMs.
    endpoint: EndpointSettings | None = None


@dataclass(frozen=True)
class RefreshSettings:
    every_hours: float = 24.0  # 0: never on its own (`update` and /refresh still work)


@dataclass(frozen=True)
class LabSettings:
    name: str = ""  # how texts name the lab ("the Grewe lab"); empty: the one member's name
    contact: str = ""  # an e-mail for the User-Agent of requests to OpenAlex, arXiv, DBLP...


@dataclass(frozen=True)
class Settings:
    """Everything the bot is configured with, except the token (see `bot.secrets`)."""

    corpus: tuple[Path, ...]
    glossary: Path | None
    lab: LabSettings = field(default_factory=LabSettings)
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    data_dir: Path | None = None  # state the bot keeps (what it announced); None: nothing kept
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    summary: SummarySettings = field(default_factory=SummarySettings)
    reply: ReplySettings = field(default_factory=ReplySettings)
    conversation: ConversationSettings = field(default_factory=ConversationSettings)
    log_level: str = "INFO"
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    source: Path | None = None  # the file these settings were read from
