"""The bot: answers slash commands (one cog per feature, in bot/discordbot/cogs), mentions, DMs and listened
channels with the core's answers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import traceback
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot import heap, heartbeat
from bot.announcements import Announcements
from bot.core.engine import Engine
from bot.core.models import Answer
from bot.core.text import cut
from bot.discordbot.conversations import DiscordConversations, Place, thread_name
from bot.discordbot.embeds import paper_card
from bot.discordbot.guard import Guard
from bot.discordbot.limits import CONTENT, NO_PINGS
from bot.discordbot.replies import Reply, answer_reply
from bot.discordbot.shared_book import SharedBook
from bot.discordbot.views import Asker, link_view, sent
from bot.discordbot.worker import EngineWorker
from bot.live import LiveEngine, RefreshResult, ReloadResult
from bot.reloads import ReloadSignal
from bot.settings import DiscordSettings
from bot.shared_conversations import SharedConversations

log = logging.getLogger("paperbot.discord")
DRAIN_SECONDS = 5.0
# Connections open to Discord's API at most. discord.py's default has no limit, so a burst of 200
# replies in flight together opens 200 connections (a TLS handshake each), only to close most of
# them. 32 kept alive carry 600 replies a second at Discord's usual 50 ms round trip; far fewer
# (8) let new requests take a freed connection ahead of older ones waiting, answering early
# askers late.
HTTP_CONNECTIONS = 32
# In the directory the bot's processes share: the reloads' signal, the conversations, members' cooldowns.
RELOADS = "reloads"
CONVERSATIONS = "conversations.sqlite"
FLOOD = "flood.sqlite"
# The slash commands, one cog per feature, loaded by name as discord.py extensions: the cogs know the
# client, the client only their names.
EXTENSIONS = tuple(f"bot.discordbot.cogs.{name}" for name in ("ask", "papers", "cite", "stats", "admin"))


def intents_for(settings: DiscordSettings) -> discord.Intents:
    """Only the events the bot uses: servers and their channels and threads, messages (mentions,
    listened channels, DMs), and message content when the config asks for that privileged intent.
    discord.py's default adds typing, reactions, voice, invites and more: in a busy server, a stream
    of events parsed for nothing."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.message_content_intent
    return intents


def apology(command: str, error: BaseException) -> str:
    """What a member reads when answering failed, with an error id; the log gets the traceback under it."""
    error_id = uuid.uuid4().hex[:8]
    log.error("error %s in /%s: %s", error_id, command, "".join(traceback.format_exception(error)))
    return f"Sorry, something went wrong on my side (error id `{error_id}`). Please try again later."


class PaperBot(commands.AutoShardedBot):
    """A discord.py bot wired to a `LiveEngine`; slash commands only (no prefix commands). Runs the
    shards the config names (`discord.shard_count`, `discord.shard_ids`), else as many as Discord
    advises, all in this process."""

    def __init__(
        self, live: LiveEngine, tag: str = "", gateway: bool = True, shared: Path | None = None,
        companions: Callable[[], bool] | None = None,
    ) -> None:  # fmt: skip
        """`tag`, `gateway`: one process of an HTTP interactions endpoint (bot/discordbot/endpoint) runs
        this bot without a gateway, its views' custom ids tagged with it; the gateway process alone syncs
        commands, beats, refreshes and announces. `shared`: the directory the bot's processes share, so
        that a reload in one reaches all, a conversation continues in any, and a member's cooldown holds in all.
        `companions`: whether those other processes all run (the heartbeat says healthy only then)."""
        # The bot never joins voice: no point warning at every start that voice libraries are missing.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        self.live = live
        self.tag = tag
        self.gateway = gateway
        self.companions = companions
        self.reloads = ReloadSignal(shared / RELOADS) if shared is not None else None
        self._following: asyncio.Task[None] | None = None
        # Made here, in the event loop that will use it (aiohttp requires one).
        connector = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)
        sharding: dict[str, Any] = {"shard_count": self.config.shard_count}
        if self.config.shard_ids is not None:
            sharding["shard_ids"] = list(self.config.shard_ids)
        super().__init__(command_prefix=commands.when_mentioned, help_command=None, intents=intents_for(self.config),
                         allowed_mentions=NO_PINGS, connector=connector, **sharding)  # fmt: skip
        # One error handler for every command of every cog.
        self.tree.error(self._command_error)
        self._shared_flood = SharedBook(shared / FLOOD) if shared is not None else None
        self.guard = Guard(self.config, self._shared_flood)
        self.worker = EngineWorker()
        talk = live.settings.conversation
        self._shared_talk = (SharedConversations(shared / CONVERSATIONS, talk.idle_minutes, talk.max_active)
                             if shared is not None else None)  # fmt: skip
        self.conversations = DiscordConversations(talk, self._shared_talk)
        # Seeded now with every paper known at start: a first run must not announce a whole corpus.
        self.announcements = Announcements(live.settings.data_dir)
        self.announcements.new(live.current.corpus.papers)
        self._refresher: asyncio.Task[None] | None = None
        self.owner_ids: set[int] = set()
        self._heartbeat: asyncio.Task[None] | None = None
        self._heartbeat_failing = False
        self.questions_answered = 0
        self.questions_limited = 0  # refused by the flood guard: answered with a notice, or once per window
        self.questions_refused = 0  # over max_question_chars: answered with the limit
        self._inflight: set[asyncio.Task[Any]] = set()  # questions being answered, drained on close

    @property
    def engine(self) -> Engine:
        return self.live.current

    @property
    def config(self) -> DiscordSettings:
        """The Discord settings in force: a reload changes limits and texts at once (endpoints and
        intents need a restart)."""
        return self.live.settings.discord

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        # Before the gateway connects, nobody waits: the example questions fill the engine's caches
        # and tell the worker what a question costs here, so a burst right after start is answered
        # on the event loop rather than handed to the engine thread (worker.py says why).
        engine = self.engine
        for question in engine.suggestions:
            self.worker.warm(functools.partial(engine.ask, question))
        heap.settle()
        if self.reloads is not None:
            self._following = asyncio.create_task(self._follow_reloads(self.reloads))
        if not self.gateway:
            await self._learn_owners()  # no READY here
            return
        if self.config.dev_guild_id:
            # A development guild gets the commands at once; global sync only on request (`bot sync`).
            guild = discord.Object(id=self.config.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
            log.info("slash commands synced to development guild %s", self.config.dev_guild_id)
        if self.config.heartbeat_file is not None:
            self._heartbeat = asyncio.create_task(self._beat())
        if self.live.settings.refresh.every_hours > 0:
            self._refresher = asyncio.create_task(self._refresh_every(self.live.settings.refresh.every_hours * 3600))

    async def on_ready(self) -> None:
        self.record_heartbeat(connected=True)
        await self._learn_owners()
        user = self.user
        log.info("connected as %s (%s) in %d guild(s)", user, user.id if user else "?", len(self.guilds))

    async def _learn_owners(self) -> None:
        """The application's owners (or its team), who may always reload."""
        with contextlib.suppress(discord.HTTPException):
            info = await self.application_info()
            self.owner_ids = {m.id for m in info.team.members} if info.team else {info.owner.id}

    async def on_resumed(self) -> None:
        self.record_heartbeat(self.connected())  # another shard may still be down

    async def on_disconnect(self) -> None:
        self.record_heartbeat(connected=False)

    async def close(self) -> None:
        """Finish the answers under way (a few seconds at most), then disconnect."""
        for task in (self._heartbeat, self._refresher, self._following):
            if task is not None:
                task.cancel()
        self.record_heartbeat(connected=False)
        others = {t for t in self._inflight if t is not asyncio.current_task()}
        if others:
            await asyncio.wait(others, timeout=DRAIN_SECONDS)
        await super().close()
        self.worker.close()
        if self._shared_talk is not None:
            self._shared_talk.close()
        if self._shared_flood is not None:
            self._shared_flood.close()

    @contextlib.contextmanager
    def busy(self) -> Any:
        """Mark the current task as answering a question, so that `close` waits for it."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self._inflight.discard(task)

    def connected(self) -> bool:
        """Whether the gateway connection of every shard of this process is up right now."""
        shards = self.shards.values()
        return not self.is_closed() and self.is_ready() and bool(shards) and not any(s.is_closed() for s in shards)

    def record_heartbeat(self, connected: bool) -> None:
        """Write the heartbeat file while connected, remove it otherwise; say so once when that fails."""
        path = self.config.heartbeat_file
        if path is None:
            return
        try:
            heartbeat.beat(path) if connected else heartbeat.stop(path)
        except OSError as err:
            if not self._heartbeat_failing:
                log.warning("cannot write the heartbeat file %s (%s): health checks will report the bot unhealthy",
                            path, err.strerror)  # fmt: skip
            self._heartbeat_failing = True
            return
        if self._heartbeat_failing:
            log.info("the heartbeat file %s is written again", path)
        self._heartbeat_failing = False

    async def _beat(self) -> None:
        """Beat every interval while connected, so that a stuck or stopped bot turns unhealthy."""
        while True:
            self.beat()
            await asyncio.sleep(heartbeat.INTERVAL)

    def beat(self) -> None:
        """The heartbeat of now: written while connected, removed when not; skipped while one of the
        bot's other processes is down, so that the file ages and the bot turns unhealthy unless the
        process is back within a couple of beats (it is restarted within seconds)."""
        connected = self.connected()
        if connected and self.companions is not None and not self.companions():
            return
        self.record_heartbeat(connected)

    # -- answering ----------------------------------------------------------------------------

    async def answer(self, question: str, place: Place | None = None) -> Answer:
        """The engine's answer, in the conversation of the place asked when given: inline when answers
        are cheap, else on the engine's own thread, so that heartbeats and other members go on
        (bot/discordbot/worker.py says why)."""
        engine = self.engine  # one index for the whole question, even if a reload swaps it meanwhile
        if place is None:
            return await self.worker.run(functools.partial(engine.ask, question))
        return await self.worker.run(functools.partial(self.conversations.ask, engine, place, question))

    def log_question(self, user_id: int, guild_id: int | None, channel_id: int | None, answer: Answer) -> None:
        """One line per answered question: who, where ("dm" or guild/channel), what was found."""
        where = f"{guild_id}/{channel_id}" if guild_id else "dm"
        top = answer.hits[0].paper.id if answer.hits else "-"
        self.questions_answered += 1
        log.info("question user=%s where=%s intent=%s top=%s took=%.1fms", user_id, where, answer.intent.value,
                 top, answer.took_ms)  # fmt: skip

    def too_long(self, question: str) -> str | None:
        limit = self.config.max_question_chars
        if len(question) > limit:
            self.questions_refused += 1
            return f"That question is {len(question):,} characters long; I read questions of up to {limit:,}."
        return None

    # -- messages: mentions, DMs and listened channels ----------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or (self.user is not None and message.author.id == self.user.id):
            return
        with self.busy():
            await self._on_question(message)

    async def _on_question(self, message: discord.Message) -> None:
        question = self._addressed(message)
        if question is None:
            return
        verdict = self.guard.check(message.author.id, message.channel.id)
        if not verdict.allowed:
            self.questions_limited += 1
            if verdict.notify:
                await self._send(message.channel, verdict.notice, None, reference=message)
            return
        if problem := self.too_long(question):
            await self._send(message.channel, problem, None, reference=message)
            return
        place = self.conversations.of_message(message, self.user.id if self.user else 0)
        thread = None if place.continues else await self._open_thread(message, question)
        if thread is not None:
            place = Place(thread.id, message.author.id, continues=False)
        channel: discord.abc.Messageable = thread or message.channel
        # One typing indicator (it lasts 10 s): a courtesy that must not cost the member the answer.
        with contextlib.suppress(discord.HTTPException, aiohttp.ClientError, OSError):
            await channel.typing()
        answer = await self.answer(question, place)
        self.log_question(message.author.id, message.guild.id if message.guild else None, message.channel.id, answer)
        # A new thread's first answer cannot reply to the question: that message is in the channel.
        await self._send(channel, None, answer, reference=None if thread else message, owner_id=message.author.id)
        self.conversations.answered_in(channel)

    async def _open_thread(self, message: discord.Message, question: str) -> discord.Thread | None:
        """With `answer_in_threads`, a new thread on a question asked in a listen channel, named after
        it; None elsewhere, or when Discord refuses (the answer then goes in the channel)."""
        if not (self.config.answer_in_threads and isinstance(message.channel, discord.TextChannel)
                and message.channel.id in self.config.listen_channels):  # fmt: skip
            return None
        try:
            return await message.create_thread(name=thread_name(question))
        except discord.HTTPException as err:
            log.warning("could not open a thread in channel %s: HTTP %s %s", message.channel.id, err.status, err.text)
            return None

    def _addressed(self, message: discord.Message) -> str | None:
        """The question in a message meant for the bot: a DM, a mention, or a listened channel."""
        me = self.user
        if me is None:
            return None
        content = message.content
        if message.guild is None:
            return content.strip()
        if me in message.mentions:
            return re.sub(rf"<@!?{me.id}>", " ", content).strip()
        if self.conversations.of_message(message, me.id).continues:  # a reply to the bot, or in its thread
            return content.strip() or None
        if message.channel.id in self.config.listen_channels and self.config.message_content_intent:
            return content.strip() or None
        return None

    def can_embed(self, channel: Any) -> bool:
        """Whether the bot may send embeds in a channel (DMs always allow them)."""
        guild = getattr(channel, "guild", None)
        if guild is None or guild.me is None:
            return True
        return bool(channel.permissions_for(guild.me).embed_links)

    def asker(self, owner_id: int, embeds: bool, asked: str | None = None) -> Asker:
        """Who may use a reply's buttons, with this bot's timeout and its engine of the moment."""
        return Asker(owner_id, self.config.view_timeout_seconds, lambda: self.engine, embeds, asked, self.tag)

    def answer_message(self, answer: Answer, owner_id: int, embeds: bool) -> Reply:
        """An answer as a message: cards and buttons where embeds are allowed, plain text and buttons otherwise."""
        asker = self.asker(owner_id, embeds, answer.coauthor)
        return answer_reply(answer, asker, self.live.settings.reply, self.config.page_size)

    async def _send(
        self, channel: discord.abc.Messageable, text: str | None, answer: Answer | None,
        reference: discord.Message | None = None, owner_id: int = 0,
    ) -> None:  # fmt: skip
        """Send a text or an answer (its buttons for `owner_id` only), as a reply to `reference` if given."""
        # A reply to the question, without pinging its author (allowed_mentions none covers that).
        extra: dict[str, Any] = {"reference": reference, "mention_author": False} if reference else {}
        reply = Reply(cut(text or "", CONTENT), [], None)
        if answer is not None:
            reply = self.answer_message(answer, owner_id, self.can_embed(channel))
        where = getattr(channel, "id", "?")
        for attempt in (1, 2):
            try:
                posted = await channel.send(allowed_mentions=NO_PINGS, **reply.kwargs(), **extra)
                if reply.view is not None:
                    reply.view.message = posted
                return
            except discord.Forbidden:
                log.warning("missing permission to reply in channel %s", where)
                return
            except discord.HTTPException as err:
                log.warning("could not reply in channel %s: HTTP %s %s", where, err.status, err.text)
                return
            except (aiohttp.ClientError, OSError) as err:
                # The connection broke under the request (discord.py retries only some resets): once more.
                log.warning("connection error replying in channel %s (attempt %d): %s", where, attempt, err)

    # -- interactions ------------------------------------------------------------------------

    async def respond(
        self,
        interaction: discord.Interaction,
        make: Callable[[], Awaitable[Reply]],
        ephemeral: bool = False,
        by_worker: bool = False,
    ) -> None:
        """Send `make()`'s message, deferring first when it takes longer than the configured budget;
        its buttons learn their message, to disable them when they expire.

        `by_worker`: `make()` does its slow work through `self.worker`. When the worker answers
        inline, within a budget longer than inline work takes, the answer is ready before the timer
        could fire, so none is set (a task, a shield and a timeout per question, in a burst of hundreds).
        """
        if by_worker and self.worker.inline() and self.config.defer_after_ms > self.worker.inline_ms:
            reply = await make()
        else:
            task = asyncio.ensure_future(make())
            try:
                reply = await asyncio.wait_for(asyncio.shield(task), self.config.defer_after_ms / 1000)
            except TimeoutError:
                await interaction.response.defer(ephemeral=ephemeral, thinking=True)
                reply = await task
                message = await interaction.followup.send(**reply.kwargs(), ephemeral=ephemeral,
                                                          allowed_mentions=NO_PINGS, wait=True)  # fmt: skip
                if reply.view is not None:
                    reply.view.message = message
                return
        callback = await interaction.response.send_message(**reply.kwargs(), ephemeral=ephemeral,
                                                           allowed_mentions=NO_PINGS)  # fmt: skip
        if reply.view is not None:
            reply.view.message = await sent(interaction, callback)

    def take_interaction(self, payload: dict[str, Any]) -> None:
        """An interaction that came over HTTP, handled as if the gateway had brought it: the command
        tree and the views answer it with requests to Discord, as they do on the gateway."""
        # discord.py's own handler of INTERACTION_CREATE (a gateway-less process has no other way in).
        self._connection.parse_interaction_create(payload)  # type: ignore[arg-type]

    def interaction_of(self, payload: dict[str, Any]) -> discord.Interaction:
        """discord.py's Interaction for an interaction that came over HTTP (to edit its response later)."""
        return discord.Interaction(data=payload, state=self._connection)  # type: ignore[arg-type]

    def keep_view(self, view: discord.ui.View) -> None:
        """Answer the presses on a view that was sent without discord.py (in an HTTP response)."""
        self._connection.store_view(view)

    async def cooldown_refusal(self, interaction: discord.Interaction) -> bool:
        """True (and the member told, ephemerally) when the member must wait."""
        channel_id = interaction.channel_id or 0
        verdict = self.guard.check(interaction.user.id, channel_id)
        if verdict.allowed:
            return False
        self.questions_limited += 1
        await interaction.response.send_message(
            verdict.notice, ephemeral=True, allowed_mentions=NO_PINGS
        )
        return True

    def may_reload(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id in self.owner_ids:
            return True
        # The member's permissions as the interaction carries them: a process without a gateway has no
        # server cached to read them from.
        return bool(self.config.reload_requires_manage_guild and interaction.permissions.manage_guild)

    async def reload(self, told: bool = True) -> ReloadResult:
        """Re-read config and corpus; `told`: asked here (not following another process), so the others follow."""
        result = await asyncio.to_thread(self.live.reload)
        if result.ok:
            self._swapped()
            if told and self.reloads is not None:
                self.reloads.bump()
        return result

    async def _follow_reloads(self, reloads: ReloadSignal) -> None:
        """Reload when another process of the same bot reloaded or refreshed."""
        while True:
            await asyncio.sleep(reloads.POLL_SECONDS)
            if reloads.changed():
                log.info("another process reloaded: reloading config and corpus")
                result = await self.reload(told=False)
                if not result.ok:
                    log.warning("reload after another process' failed: %s", result.message)
                elif self.gateway:  # another process refreshed: new papers are announced from here
                    await self.announce()

    async def refresh(self) -> RefreshResult:
        """Update the corpus files from their sources off the event loop, swap the index, announce."""
        result = await asyncio.to_thread(self.live.refresh)
        if result.reload is not None and result.reload.ok:
            self._swapped()
            if self.reloads is not None:
                self.reloads.bump()
        if self.gateway:  # the gateway process announces for all (it follows the others' refreshes)
            await self.announce()
        return result

    def _swapped(self) -> None:
        """A new index and config are in force: their limits apply at once, and the old index goes
        back to the garbage collector."""
        self.guard.configure(self.config)
        self.conversations.configure(self.live.settings.conversation)
        heap.settle()

    async def _refresh_every(self, seconds: float) -> None:
        """The scheduled refresh: answers never wait for it, and a failure waits for the next turn."""
        await self.wait_until_ready()
        while True:
            await asyncio.sleep(seconds)
            try:
                await self.refresh()
            except Exception:  # a bug in a refresh must not end the schedule
                log.exception("scheduled refresh failed; the previous index keeps serving")

    async def announce(self) -> None:
        """One card per paper not announced yet in each announce channel, at most max_announcements."""
        engine = self.engine
        new = self.announcements.new(engine.corpus.papers)
        if not new:
            return
        limit = self.config.max_announcements
        for channel_id in self.config.announce_channels:
            channel = self.get_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                log.warning("announce channel %s is not a channel the bot can see", channel_id)
                continue
            try:
                for paper in new[:limit]:
                    whose = ", ".join(paper.members) or engine.corpus.name
                    embed = paper_card(paper, engine.summary(paper))
                    links = link_view(paper)
                    await channel.send(content=cut(f"New paper by {whose}:", CONTENT), embed=embed,
                                       allowed_mentions=NO_PINGS, view=links or discord.utils.MISSING)  # fmt: skip
                if len(new) > limit:
                    more = len(new) - limit
                    await channel.send(content=f"… and {more} more new paper{'s' * (more != 1)}: see `/papers`.",
                                       allowed_mentions=NO_PINGS)  # fmt: skip
            except discord.HTTPException as err:
                log.warning("could not announce in channel %s: HTTP %s %s", channel_id, err.status, err.text)
        self.announcements.remember(new)

    async def _command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """An apology with an error id for the member; the traceback with the same id for the log."""
        original = getattr(error, "original", error)
        command = getattr(interaction.command, "name", "?")
        if isinstance(original, discord.NotFound):
            # Unknown interaction: Discord's 3 s window passed, or the member's client retried.
            # Nothing can be sent on it any more, so no apology either.
            log.warning("/%s from user %s: the interaction expired before the reply (HTTP 404): not answered",
                        command, interaction.user.id)  # fmt: skip
            return
        text = apology(command, original)
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
            else:
                await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)
