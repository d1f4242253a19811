"""A Discord emulator on 127.0.0.1: the REST routes and the gateway a discord.py bot uses.

The real, unmodified discord.py client talks to it over HTTP and a websocket, exactly as it talks
to Discord; the bot under test is pointed at it by its configuration (`discord.api_base_url` and
`discord.gateway_url`). Tests drive members' actions (messages, slash commands, autocomplete,
button clicks) and inspect every request the bot made, with Discord's limits checked on each.
With `use_endpoint(url)`, interactions are POSTed to the bot's Interactions Endpoint URL instead
(endpoint.py), and its inline answers are recorded as its REST callbacks are.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord_emulator.echo import Outbox, intent_for, message_event
from tests.discord_emulator.endpoint import InteractionsEndpoint
from tests.discord_emulator.gateway import AUTHENTICATION_FAILED, GatewaySession, shard_of, shard_problem
from tests.discord_emulator.limits import choices_problems, message_problems
from tests.discord_emulator.payloads import (
    ARCHIVE_DURATIONS,
    CHAT_INPUT_COMMAND,
    CREATE_PUBLIC_THREADS,
    EMBED_LINKS,
    EPHEMERAL,
    EVERYONE_DEFAULT,
    LOADING,
    MANAGE_GUILD,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    Channel,
    Guild,
    Member,
    User,
    message,
    now_iso,
    reply_fields,
    snowflake,
)

DISCORD_EPOCH_MS = 1420070400000


@dataclass
class Request:
    """One request the bot made, as received."""

    method: str
    path: str  # without the /api/v10 prefix
    payload: Any
    at: float
    status: int = 200
    query: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # uploaded files by filename
    echoes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # gateway events it causes

    @property
    def message(self) -> dict[str, Any]:
        """The message part of a payload: `data` of an interaction callback, else the payload."""
        if isinstance(self.payload, dict) and "type" in self.payload and "data" in self.payload:
            return self.payload.get("data") or {}
        return self.payload if isinstance(self.payload, dict) else {}

    def text(self) -> str:
        """Everything a member reads in this message: content and every embed's text."""
        m = self.message
        parts = [m.get("content") or ""]
        for e in m.get("embeds") or []:
            parts += [e.get("title") or "", e.get("description") or "", (e.get("footer") or {}).get("text", "")]
            parts += [f"{f.get('name')}\n{f.get('value')}" for f in e.get("fields") or []]
        return "\n".join(p for p in parts if p)


@dataclass
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class DiscordEmulator:
    """A guild with a few channels and members (more on request), one bot application, and a
    gateway session per shard the bot connects.

    `shards` is the shard count GET /gateway/bot recommends; `required_shards` the fewest that
    IDENTIFY may use (Discord closes with 4011 below it, as it does past 2,500 guilds a shard).
    """

    def __init__(
        self, token: str = "emulated.bot.token", heartbeat_ms: int = 41250, shards: int = 1, required_shards: int = 1
    ) -> None:
        self.token = token
        self.heartbeat_ms = heartbeat_ms
        self.shards = shards
        self.required_shards = required_shards
        self.bot = User(snowflake(), "paperbot", bot=True)
        self.application_id = self.bot.id
        self.owner = User(snowflake(), "labadmin")
        self.alice = User(snowflake(), "alice")
        self.bob = User(snowflake(), "bob")
        self.other_bot = User(snowflake(), "otherbot", bot=True)
        guild_id = snowflake()
        self.general = Channel(snowflake(), "general", guild_id)
        self.no_embeds = Channel(snowflake(), "no-embeds", guild_id, bot_denied=EMBED_LINKS)
        self.quiet = Channel(snowflake(), "reading-group", guild_id)
        self.guild = Guild(
            guild_id,
            "Lab",
            self.owner.id,
            [self.general, self.no_embeds, self.quiet],
            [
                Member(self.owner, EVERYONE_DEFAULT | MANAGE_GUILD),
                Member(self.alice),
                Member(self.bob),
                Member(self.other_bot),
                Member(self.bot),
            ],
        )
        self.guilds: list[Guild] = [self.guild]
        self.dm_channels: dict[int, Channel] = {}
        self.threads: dict[int, Channel] = {}  # by id, which is the id of the message it was started from
        self.member_messages: dict[int, dict[str, Any]] = {}  # what members posted, by id
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self.unknown_routes: list[str] = []
        self.synced: dict[str, list[dict[str, Any]]] = {}
        self.messages: dict[int, dict[str, Any]] = {}  # what the bot posted, by id
        self._loading: set[int] = set()  # deferred responses still "thinking": the bot has not seen them
        self._outbox = Outbox(self._send_echo)
        self.echoed: list[tuple[str, dict[str, Any]]] = []  # events about its own messages the bot was sent
        self.echoes_dropped = 0  # those its shard was not connected (or not subscribed) for
        self._interactions: dict[int, dict[str, Any]] = {}  # by interaction id: token, channel, answered...
        self._members: dict[int, tuple[int, dict[int, Member]]] = {}  # guild id -> (members seen, by user id)
        self.identify_intents: int | None = None
        self.identifies = 0
        self.identified: list[tuple[int, int]] = []  # the [shard_id, shard_count] of every IDENTIFY
        self.resumes = 0
        self.ready = asyncio.Event()  # set at the first READY
        self._failures: list[tuple[str, str, Failure]] = []
        self.sessions: dict[int, GatewaySession] = {}  # by shard id: the identified connections
        self._open: set[GatewaySession] = set()  # every connection, identified or not
        self._new_request = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.endpoint = InteractionsEndpoint()  # the application's key; interactions go to its URL once saved

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> DiscordEmulator:
        app = web.Application(client_max_size=8 * 2**20)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        sockets = site._server.sockets if site._server else []  # type: ignore[union-attr]
        self.port = sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        await self.endpoint.close()
        await self._outbox.close()  # the events of answered requests still go out before the gateway closes
        for session in list(self._open):
            if not session.ws.closed:
                await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def public_key(self) -> str:
        """The application's Ed25519 public key (hex) that interactions POSTed to its endpoint are signed for."""
        return self.endpoint.public_key

    async def use_endpoint(self, url: str | None) -> None:
        """Save `url` as the Interactions Endpoint URL, as the developer portal does (it must pass
        Discord's checks, else EndpointRefused): interactions are then POSTed to it instead of sent on
        the gateway. None goes back to the gateway."""
        if url is None:
            self.endpoint.url = None
        else:
            await self.endpoint.save(url)

    async def endpoint_settled(self) -> None:
        """Wait until every interaction POSTed to the endpoint so far has its answer (or failed)."""
        await self.endpoint.settled()

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- failure injection -------------------------------------------------------------------

    def fail(self, method: str, path_pattern: str, status: int, times: int = 1, retry_after: float = 0.05) -> None:
        """Answer the next `times` matching requests with `status` (429 with Retry-After, 5xx, 403, 404)."""
        headers = {"Content-Type": "application/json"}
        body: dict[str, Any]
        if status == 429:
            body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
            headers.update(
                {
                    "Retry-After": str(retry_after),
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": str(retry_after),
                    "X-RateLimit-Bucket": "emulated",
                    "X-RateLimit-Scope": "user",
                    "Via": "1.1 google",  # discord.py treats a 429 without it as a Cloudflare ban
                }
            )
        elif status == 403:
            body = {"message": "Missing Permissions", "code": 50013}
        elif status == 404:
            body = {"message": "Unknown interaction", "code": 10062}  # Discord's reply past the 3 s window
        else:
            body = {"message": "Internal Server Error", "code": 0}
        for _ in range(times):
            self._failures.append((method, path_pattern, Failure(status, body, headers)))

    async def drop_connection(self) -> None:
        """Close every gateway websocket the way a network failure would; the bot should resume."""
        for session in list(self._open):
            await session.ws.close(code=4000, message=b"emulated drop")

    # -- the gateway ---------------------------------------------------------------------------

    def shard_count(self) -> int:
        """The shard count the connected bot identified with (1 before it did)."""
        return next(iter(self.sessions.values())).shard[1] if self.sessions else 1

    def shard_for(self, guild_id: int | None) -> GatewaySession:
        """The connection that receives a guild's events, as Discord routes them."""
        shard = shard_of(guild_id, self.shard_count())
        session = self.sessions.get(shard)
        if session is None or session.ws.closed:
            raise ConnectionError(f"shard {shard} (guild {guild_id}) is not connected to the gateway")
        return session

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event on the shard its guild belongs to."""
        guild_id = data.get("guild_id") or (data.get("id") if event.startswith("GUILD_") else None)
        await self.shard_for(int(guild_id) if guild_id else None).send(0, data, event)

    async def _send_echo(self, event: str, data: dict[str, Any]) -> None:
        """An event about the bot's own message, on its guild's shard if that session asked for the
        intent; dropped, as Discord drops it, when the shard is not connected or did not ask."""
        guild_id = int(data["guild_id"]) if data.get("guild_id") else None
        try:
            session = self.shard_for(guild_id)
            if not session.intents & intent_for(guild_id):
                self.echoes_dropped += 1
                return
            await session.send(0, data, event)
        except ConnectionError:
            self.echoes_dropped += 1
            return
        self.echoed.append((event, data))

    async def echoes_sent(self) -> None:
        """Wait until every event about the bot's own messages, for requests answered so far, is sent."""
        await self._outbox.drain()

    def heartbeats(self) -> list[float]:
        """When the bot heartbeat, on every connection (monotonic seconds, in order)."""
        return sorted(t for s in self._open | set(self.sessions.values()) for t in s.heartbeats)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = GatewaySession(ws)
        self._open.add(session)
        try:
            await session.send(10, {"heartbeat_interval": self.heartbeat_ms})
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op, d = frame.get("op"), frame.get("d")
                if op == 1:
                    session.beat()
                    await session.send(11, None)
                elif op == 2:
                    await self._identify(session, d)
                elif op == 6:
                    session = await self._resume(session, d)
        finally:
            self._open.discard(session)
        return ws

    async def _identify(self, session: GatewaySession, d: dict[str, Any]) -> None:
        if d.get("token") != self.token:
            await session.ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        shard = d.get("shard", [0, 1])
        if problem := shard_problem(shard, self.required_shards):
            await session.ws.close(code=problem[0], message=problem[1].encode())
            return
        self.identifies += 1
        self.identified.append((shard[0], shard[1]))
        self.identify_intents = d.get("intents")
        session.intents = int(d.get("intents") or 0)
        session.shard = (shard[0], shard[1])
        session.session_id = f"session-{snowflake()}"
        session.seq = 0
        self.sessions[shard[0]] = session
        mine = [g for g in self.guilds if shard_of(g.id, shard[1]) == shard[0]]
        await session.send(
            0,
            {
                "v": 10,
                "user": self.bot.payload(),
                "guilds": [{"id": str(g.id), "unavailable": True} for g in mine],
                "session_id": session.session_id,
                "resume_gateway_url": self.gateway_url,
                "shard": [shard[0], shard[1]],
                "application": {"id": str(self.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
            },
            "READY",
        )
        for guild in mine:
            await session.send(0, guild.payload(self.bot.id), "GUILD_CREATE")
        self.ready.set()

    async def _resume(self, session: GatewaySession, d: dict[str, Any]) -> GatewaySession:
        """RESUME: the session it names continues on this connection, its sequence too."""
        old = next((s for s in self.sessions.values() if s.session_id == d.get("session_id")), None)
        if old is None or d.get("token") != self.token:
            await session.send(9, False)  # invalid session: the bot identifies again
            return session
        self.resumes += 1
        self._open.discard(session)
        old.ws = session.ws
        old.heartbeats.extend(session.heartbeats)
        self._open.add(old)
        await old.send(0, {}, "RESUMED")
        return old

    # -- REST --------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        payload: Any = None
        files: dict[str, bytes] = {}
        if request.can_read_body:
            if request.content_type.startswith("multipart/"):
                form = await request.post()
                payload = json.loads(str(form.get("payload_json", "{}")))
                files = {f.filename: f.file.read() for f in form.values() if isinstance(f, web.FileField)}
            else:
                raw = await request.text()
                payload = json.loads(raw) if raw else None
        entry = Request(request.method, path, payload, time.monotonic(), query=dict(request.query), files=files)
        status, body, headers = await self._route(request, path, payload, entry)
        await self._record(entry, status)
        if body is None:
            response = web.Response(status=status, headers=headers)
        else:
            # Exactly "application/json", as Discord sends it: discord.py compares the header verbatim.
            headers = {**headers, "Content-Type": "application/json"}
            response = web.Response(body=json.dumps(body).encode(), status=status, headers=headers)
        if entry.echoes:
            # The answer is written first: the bot must never hear of a message before its REST reply.
            with contextlib.suppress(ConnectionError):  # a bot gone meanwhile: the message exists all the same
                await response.prepare(request)
                await response.write_eof()
            for event, data in entry.echoes:
                self._outbox.post(event, data)
        return response

    async def _record(self, entry: Request, status: int) -> None:
        """Add a request the bot made, answered with `status`, and wake whoever waits for one."""
        entry.status = status
        self.requests.append(entry)
        async with self._new_request:
            self._new_request.notify_all()

    def _authorised(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization", "")
        return auth == f"Bot {self.token}"

    async def _route(
        self, request: web.Request, path: str, payload: Any, entry: Request
    ) -> tuple[int, Any, dict[str, str]]:
        method = request.method
        for i, (verb, pattern, failure) in enumerate(self._failures):
            if verb == method and re.fullmatch(pattern, path):
                del self._failures[i]
                return failure.status, failure.body, failure.headers
        webhook = path.startswith(("/webhooks/", "/interactions/"))
        if not webhook and not self._authorised(request):
            return 401, {"message": "401: Unauthorized", "code": 0}, {}

        if method == "GET" and path == "/users/@me":
            return 200, self.bot.payload(), {}
        if method == "GET" and path in ("/gateway", "/gateway/bot"):
            limits = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            if path == "/gateway":
                return 200, {"url": self.gateway_url}, {}
            return 200, {"url": self.gateway_url, "shards": self.shards, "session_start_limit": limits}, {}
        if method == "GET" and path == "/oauth2/applications/@me":
            return 200, self._application(), {}
        if m := re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", path):
            scope = m.group(2) or "global"
            if method == "PUT":
                # Stored as Discord returns application commands: with ids and the application's id.
                defaults = {"type": 1, "options": [], "default_member_permissions": None, "nsfw": False,
                            "dm_permission": True, "contexts": None, "integration_types": [0]}  # fmt: skip
                self.synced[scope] = [
                    {**defaults, **c, "id": str(snowflake()), "application_id": str(self.application_id),
                     "version": str(snowflake()), **({"guild_id": scope} if m.group(2) else {})}
                    for c in payload or []
                ]  # fmt: skip
            return 200, self.synced.get(scope, []), {}
        if m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            return self._callback(int(m.group(1)), payload, entry)
        if m := re.fullmatch(r"/webhooks/(\d+)/([^/]+)(?:/messages/(@original|\d+))?", path):
            return self._webhook(method, m.group(2), m.group(3), payload, entry)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)):
            return await self._start_thread(int(m.group(1)), int(m.group(2)), payload)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return self._channel_message(int(m.group(1)), payload, entry)
        if method == "PATCH" and (m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)):
            return self._edit(int(m.group(2)), payload, entry)
        if method == "DELETE" and (m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)):
            return self._delete(int(m.group(1)), int(m.group(2)), entry)
        if re.fullmatch(r"/channels/(\d+)/typing", path):
            return 204, None, {}
        if method == "POST" and path == "/users/@me/channels":
            user_id = int(payload["recipient_id"])
            channel = self.dm_channels.setdefault(user_id, Channel(snowflake(), "dm", None))
            return 200, channel.payload(self.bot.id), {}
        self.unknown_routes.append(f"{method} {path}")
        return 404, {"message": "404: Not Found", "code": 0}, {}

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(self.application_id),
            "name": "paperbot",
            "icon": None,
            "description": "",
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.owner.payload(),
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
        }

    def _check_message(
        self, where: str, data: dict[str, Any], channel_id: int | None, files: dict[str, bytes] | None = None
    ) -> list[str]:
        problems = message_problems(data, files)
        mentions = data.get("allowed_mentions")
        if mentions is None or mentions.get("parse") or mentions.get("users") or mentions.get("roles"):
            problems.append(f"allowed_mentions must be set and allow nobody, got {mentions!r}")
        channel = self._channel(channel_id)
        if channel is not None and channel.bot_denied & EMBED_LINKS and data.get("embeds"):
            problems.append("embeds sent where the bot lacks Embed Links (Discord drops them silently)")
        self.violations.extend(f"{where}: {p}" for p in problems)
        return problems

    def _channel(self, channel_id: int | None) -> Channel | None:
        if channel_id is None:
            return None
        for channel in [*(c for g in self.guilds for c in g.channels), *self.dm_channels.values(),
                        *self.threads.values()]:
            if channel.id == channel_id:
                return channel
        return None

    def _store(self, data: dict[str, Any], channel_id: int, files: dict[str, bytes] | None = None,
               fields: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
        """The bot's new message, with `fields` Discord adds to it (a reply's reference, an
        interaction's metadata)."""
        msg = message(
            channel_id,
            self.bot.payload(),
            data.get("content") or "",
            guild_id=None if channel_id in self._dm_ids() else self._guild_of(channel_id),
            embeds=data.get("embeds"),
            components=data.get("components"),
            flags=data.get("flags") or 0,
        )
        msg["attachments"] = [self._attachment(a, files or {}) for a in data.get("attachments") or []]
        msg.update(fields or {})
        self.messages[int(msg["id"])] = msg
        return msg

    def _echo(self, entry: Request, event: str, msg: dict[str, Any]) -> None:
        """Note the gateway event the bot will be sent about its own message once `entry` is answered."""
        guild_id = msg.get("guild_id")
        guild = next((g for g in self.guilds if str(g.id) == guild_id), None)
        member = self.member(self.bot, guild).partial() if guild is not None else None
        if (data := message_event(event, msg, member)) is not None:
            entry.echoes.append((event, data))

    def _guild_of(self, channel_id: int) -> int | None:
        channel = self._channel(channel_id)
        return channel.guild_id if channel is not None else None

    def _attachment(self, sent: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        """An attachment object as Discord returns it for a file the bot uploaded."""
        name = str(sent.get("filename"))
        url = f"{self.api_base_url}/attachments/{name}"
        return {"id": str(snowflake()), "filename": name, "description": sent.get("description"),
                "size": len(files.get(name, b"")), "url": url, "proxy_url": url}  # fmt: skip

    def _dm_ids(self) -> set[int]:
        return {c.id for c in self.dm_channels.values()}

    def _channel_message(
        self, channel_id: int, data: dict[str, Any], entry: Request
    ) -> tuple[int, Any, dict[str, str]]:
        channel = self._channel(channel_id)
        if channel is None:
            return 404, {"message": "Unknown Channel", "code": 10003}, {}
        if channel.bot_denied & (SEND_MESSAGES_IN_THREADS if channel.is_thread else SEND_MESSAGES):
            return 403, {"message": "Missing Permissions", "code": 50013}, {}
        problems = self._check_message(f"POST /channels/{channel_id}/messages", data, channel_id, entry.files)
        reference = data.get("message_reference")
        if problems or (problems := self._check_reference(channel_id, reference)):
            return 400, _invalid_form(problems), {}
        replied = self._find_message(int(reference.get("message_id") or 0)) if reference else None
        msg = self._store(data, channel_id, entry.files, reply_fields(replied) if replied else None)
        self._echo(entry, "MESSAGE_CREATE", msg)
        return 200, msg, {}

    def _find_message(self, message_id: int) -> dict[str, Any] | None:
        return self.messages.get(message_id) or self.member_messages.get(message_id)

    def _check_reference(self, channel_id: int, reference: dict[str, Any] | None) -> list[str]:
        """A reply must reference a message of the same channel (Discord: "Unknown message")."""
        if not reference or reference.get("fail_if_not_exists") is False:
            return []
        referenced = self._find_message(int(reference.get("message_id") or 0))
        if referenced is None or int(referenced["channel_id"]) != channel_id:
            problem = f"message_reference: unknown message {reference.get('message_id')} in channel {channel_id}"
            self.violations.append(problem)
            return [problem]
        return []

    async def _start_thread(
        self, channel_id: int, message_id: int, data: dict[str, Any]
    ) -> tuple[int, Any, dict[str, str]]:
        """Start Thread from Message: a public thread whose id is the message's, and THREAD_CREATE."""
        channel = self._channel(channel_id)
        if channel is None:
            return 404, {"message": "Unknown Channel", "code": 10003}, {}
        if channel.guild_id is None or channel.is_thread:
            return 400, {"message": "Cannot execute action on this channel type", "code": 50024}, {}
        source = self._find_message(message_id)
        if source is None or int(source["channel_id"]) != channel_id:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if message_id in self.threads:
            return 400, {"message": "A thread has already been created for this message", "code": 160004}, {}
        if channel.bot_denied & CREATE_PUBLIC_THREADS:
            return 403, {"message": "Missing Permissions", "code": 50013}, {}
        name, duration = data.get("name"), data.get("auto_archive_duration")
        problems = []
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            problems.append(f"name: must be 1 to 100 characters, got {name!r}")
        if duration is not None and duration not in ARCHIVE_DURATIONS:
            problems.append(f"auto_archive_duration: must be one of {ARCHIVE_DURATIONS}, got {duration!r}")
        if problems:
            self.violations.extend(f"POST thread: {p}" for p in problems)
            return 400, _invalid_form(problems), {}
        thread = Channel(message_id, str(name), channel.guild_id, bot_denied=channel.bot_denied, parent=channel,
                         owner_id=self.bot.id, auto_archive_duration=duration or 1440)  # fmt: skip
        self.threads[thread.id] = thread
        source["thread"] = thread.payload(self.bot.id)
        member = {"id": str(thread.id), "user_id": str(self.bot.id), "join_timestamp": now_iso(), "flags": 0}
        await self.dispatch("THREAD_CREATE", {**thread.payload(self.bot.id), "newly_created": True, "member": member})
        return 201, thread.payload(self.bot.id), {}

    def _edit(self, message_id: int, data: dict[str, Any], entry: Request) -> tuple[int, Any, dict[str, str]]:
        msg = self.messages.get(message_id)
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if problems := self._check_message(f"PATCH message {message_id}", {**msg, **data}, None):
            return 400, _invalid_form(problems), {}
        msg.update({k: v for k, v in data.items() if k in ("content", "embeds", "components", "flags")})
        self._edited(msg, entry)
        return 200, msg, {}

    def _edited(self, msg: dict[str, Any], entry: Request) -> None:
        """An edit of one of the bot's messages; the first of a deferred response is its answer
        arriving, which the bot hears of as a new message."""
        message_id = int(msg["id"])
        if message_id in self._loading:
            self._loading.discard(message_id)
            msg["flags"] = (msg.get("flags") or 0) & ~LOADING
            self._echo(entry, "MESSAGE_CREATE", msg)
            return
        msg["edited_timestamp"] = now_iso()
        self._echo(entry, "MESSAGE_UPDATE", msg)

    def _delete(self, channel_id: int, message_id: int, entry: Request) -> tuple[int, Any, dict[str, str]]:
        """Delete Message: the bot's own (deleting a member's needs Manage Messages, which it lacks)."""
        if message_id in self.member_messages:
            return 403, {"message": "Missing Permissions", "code": 50013}, {}
        msg = self.messages.get(message_id)
        if msg is None or int(msg["channel_id"]) != channel_id:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        self._deleted(msg, entry)
        return 204, None, {}

    def _deleted(self, msg: dict[str, Any], entry: Request) -> None:
        message_id = int(msg["id"])
        del self.messages[message_id]
        if message_id in self._loading:  # never shown: the bot was never told of it
            self._loading.discard(message_id)
        else:
            self._echo(entry, "MESSAGE_DELETE", msg)

    # interactions: callbacks and follow-ups ---------------------------------------------------

    def _callback(
        self, interaction_id: int, payload: dict[str, Any], entry: Request
    ) -> tuple[int, Any, dict[str, str]]:
        pending = self._interactions.get(interaction_id)
        if pending is None:
            return 404, {"message": "Unknown interaction", "code": 10062}, {}
        if pending["answered"]:
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}, {}
        kind = payload.get("type")
        data = payload.get("data") or {}
        where = f"callback {interaction_id} type {kind}"
        if kind == 8:
            if problems := choices_problems(data.get("choices") or []):
                self.violations.extend(f"{where}: {p}" for p in problems)
                return 400, _invalid_form(problems), {}
        elif kind in (4, 7) and self._check_message(where, data, pending["channel_id"], entry.files):
            return 400, _invalid_form(self.violations[-1:]), {}
        pending["answered"] = True
        body: dict[str, Any] = {
            "interaction": {"id": str(interaction_id), "type": pending["type"]},
            "resource": {"type": kind},
        }
        if kind in (4, 5):
            msg = self._store(data, pending["channel_id"], entry.files, self._response_fields(pending))
            pending["original"] = int(msg["id"])
            if kind == 5:  # "thinking" until the bot edits it or sends its first follow-up
                msg["flags"] |= LOADING
                self._loading.add(int(msg["id"]))
            else:
                self._echo(entry, "MESSAGE_CREATE", msg)
            body["interaction"]["response_message_id"] = msg["id"]
            body["interaction"]["response_message_loading"] = kind == 5
            body["interaction"]["response_message_ephemeral"] = bool((data.get("flags") or 0) & EPHEMERAL)
            body["resource"]["message"] = msg
        elif kind == 7 and pending.get("message_id"):
            msg = self.messages[pending["message_id"]]
            msg.update({k: v for k, v in data.items() if k in ("content", "embeds", "components")})
            self._edited(msg, entry)
            body["resource"]["message"] = msg
        return 200, body, {}

    def _response_fields(self, pending: dict[str, Any], followup: bool = False) -> dict[str, Any]:
        """What Discord adds to a message answering an interaction: who interacted and how
        (interaction_metadata; `interaction`, deprecated, still sent), and the application as its
        webhook. A slash command's answers are of their own type."""
        metadata = dict(pending["metadata"])
        if followup and pending.get("original"):
            metadata["original_response_message_id"] = str(pending["original"])
        return {"type": CHAT_INPUT_COMMAND if pending["type"] == 2 else 0, "application_id": str(self.application_id),
                "webhook_id": str(self.application_id), "interaction_metadata": metadata,
                "interaction": pending["interaction"]}  # fmt: skip

    def _webhook(
        self, method: str, token: str, which: str | None, payload: Any, entry: Request
    ) -> tuple[int, Any, dict[str, str]]:
        pending = next((p for p in self._interactions.values() if p["token"] == token), None)
        if pending is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}, {}
        channel_id = pending["channel_id"]
        if method == "POST" and which is None:
            if problems := self._check_message(f"follow-up {token[:8]}", payload, channel_id, entry.files):
                return 400, _invalid_form(problems), {}
            if pending.get("original") in self._loading:
                # The first follow-up to a deferral is the deferred response itself, which keeps the
                # deferral's ephemerality (Create Followup Message, Discord's docs).
                original = self.messages[pending["original"]]
                original.update({k: v for k, v in payload.items() if k in ("content", "embeds", "components")})
                original["attachments"] = [self._attachment(a, entry.files) for a in payload.get("attachments") or []]
                self._edited(original, entry)
                return 200, original, {}
            msg = self._store(payload, channel_id, entry.files, self._response_fields(pending, followup=True))
            self._echo(entry, "MESSAGE_CREATE", msg)
            return 200, msg, {}
        message_id = pending.get("original") if which == "@original" else int(which or 0)
        if message_id is None or message_id not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if method == "PATCH":
            return self._edit(message_id, payload, entry)
        if method == "GET":
            return 200, self.messages[message_id], {}
        if method == "DELETE":
            self._deleted(self.messages[message_id], entry)
            return 204, None, {}
        return 405, {"message": "405: Method Not Allowed", "code": 0}, {}

    # -- driving: what members do ----------------------------------------------------------------

    def member(self, user: User, guild: Guild | None = None) -> Member:
        guild = guild or self.guild
        # By id, not a scan: benchmarks add thousands of members, and every interaction looks one up.
        # Tests add members to the list directly, so the index is rebuilt when its length changes.
        index = self._members.get(guild.id)
        if index is None or index[0] != len(guild.members):
            index = (len(guild.members), {m.user.id: m for m in guild.members})
            self._members[guild.id] = index
        return index[1][user.id]

    def guild_of(self, channel: Channel) -> Guild:
        return next(g for g in self.guilds if g.id == channel.guild_id)

    def add_guild(self, name: str, shard: int = 0, shard_count: int = 1) -> Guild:
        """Another guild with one channel, the bot and the usual members, whose id routes its events
        to `shard` of `shard_count` (ids carry their creation time: it is chosen to fit)."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        ms += (shard - ms) % shard_count
        guild_id = (ms << 22) | (snowflake() & 0x3FFFFF)
        channel = Channel(snowflake(), "general", guild_id)
        members = [Member(self.owner, EVERYONE_DEFAULT | MANAGE_GUILD), Member(self.alice), Member(self.bob),
                   Member(self.bot)]  # fmt: skip
        guild = Guild(guild_id, name, self.owner.id, [channel], members)
        self.guilds.append(guild)
        return guild

    async def send_message(
        self, author: User, content: str, channel: Channel | None = None, *, dm: bool = False,
        reply_to: dict[str, Any] | None = None, ping: bool = True,
    ) -> dict[str, Any]:  # fmt: skip
        """A member posts a message (in `channel`, or in a DM with the bot); `reply_to` makes it a reply to
        that message (pinging its author unless `ping` is False, as Discord's client does by default)."""
        if dm:
            channel = self.dm_channels.setdefault(author.id, Channel(snowflake(), "dm", None))
        channel = channel or self.general
        mentions = [self.bot.payload()] if f"<@{self.bot.id}>" in content or f"<@!{self.bot.id}>" in content else []
        guild = None if dm else self.guild_of(channel)
        guild_id = guild.id if guild else None
        member = self.member(author, guild).payload() if guild else None
        msg = message(channel.id, author.payload(), content, guild_id=guild_id, member=member, mentions=mentions)
        if member is not None:
            msg["member"] = {k: v for k, v in member.items() if k != "user"}
        if reply_to is not None:
            msg.update(reply_fields(reply_to))
            if ping and reply_to["author"]["id"] != str(author.id):
                msg["mentions"] = [*msg["mentions"], reply_to["author"]]
        self.member_messages[int(msg["id"])] = msg
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def interact(
        self,
        user: User,
        kind: int,
        data: dict[str, Any],
        channel: Channel | None = None,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        """Send an interaction: an INTERACTION_CREATE on the gateway, or a POST to the endpoint once one
        is in use (started, not awaited). Returns what the tests need to find its answer."""
        channel = channel or self.general
        guild = self.guild_of(channel)
        member = self.member(user, guild)
        interaction_id = snowflake()
        token = f"itoken-{interaction_id}"
        app_permissions = EVERYONE_DEFAULT & ~channel.bot_denied
        metadata = {"id": str(interaction_id), "type": kind, "user": user.payload(),
                    "authorizing_integration_owners": {"0": str(guild.id)}}  # fmt: skip
        if message_id is not None:
            metadata["interacted_message_id"] = str(message_id)
        # The message interaction object Discord still sends alongside interaction_metadata.
        legacy = {"id": str(interaction_id), "type": kind, "name": data.get("name", ""), "user": user.payload(),
                  "member": member.partial()}  # fmt: skip
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(guild.id),
            "channel_id": str(channel.id),
            "channel": channel.payload(self.bot.id),
            "member": {**member.payload(), "permissions": str(member.permissions)},
            "token": token,
            "version": 1,
            "app_permissions": str(app_permissions),
            "attachment_size_limit": 10 * 2**20,
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
        }
        if message_id is not None:
            payload["message"] = self.messages[message_id]
        self._interactions[interaction_id] = {
            "token": token, "type": kind, "channel_id": channel.id, "answered": False, "metadata": metadata,
            "interaction": legacy, "message_id": message_id, "dispatched": time.monotonic(),
        }  # fmt: skip
        if self.endpoint.url is None:
            await self.dispatch("INTERACTION_CREATE", payload)
        else:
            self.endpoint.start(self._post_interaction(payload))
        return {"id": interaction_id, "token": token}

    async def _post_interaction(self, payload: dict[str, Any]) -> None:
        """An interaction POSTed to the endpoint. An inline answer is its callback, taken and recorded
        as the REST callback is; a 202 means the bot sent the callback over REST; anything else is a
        violation (the member reads "This interaction failed")."""
        interaction_id, token = int(payload["id"]), payload["token"]
        where = f"interaction {interaction_id} POSTed to {self.endpoint.url}"
        self._interactions[interaction_id]["dispatched"] = time.monotonic()
        response, problem = (await self.endpoint.answer(payload)).judged()
        if problem is not None:
            self.violations.append(f"{where}: {problem}")
            return
        if response is None:
            return
        entry = Request("POST", f"/interactions/{interaction_id}/{token}/callback", response, time.monotonic())
        noted = len(self.violations)
        status, body, _ = self._callback(interaction_id, response, entry)
        if status != 200 and len(self.violations) == noted:
            self.violations.append(f"{where}: its inline response was refused: {status} {body.get('message')}")
        await self._record(entry, status)
        for event, data in entry.echoes:
            self._outbox.post(event, data)

    async def slash(
        self, user: User, name: str, /, channel: Channel | None = None, **options: Any
    ) -> dict[str, Any]:
        """A member runs /name with options (strings and integers typed as Discord types them)."""
        opts = [
            {"name": k, "type": 4 if isinstance(v, int) and not isinstance(v, bool) else 3, "value": v}
            for k, v in options.items()
            if v is not None
        ]
        command = self._command_id(name)
        data = {"id": command, "name": name, "type": 1, "options": opts}
        return await self.interact(user, 2, data, channel)

    async def autocomplete(self, user: User, name: str, option: str, typed: str) -> dict[str, Any]:
        """A member types into a slash command option that has autocomplete."""
        data = {
            "id": self._command_id(name), "name": name, "type": 1,
            "options": [{"name": option, "type": 3, "value": typed, "focused": True}],
        }  # fmt: skip
        return await self.interact(user, 4, data)

    async def click(self, user: User, message_id: int, custom_id: str) -> dict[str, Any]:
        """A member presses a button on a message."""
        channel = self._channel(int(self.messages[message_id]["channel_id"]))
        data = {"custom_id": custom_id, "component_type": 2}
        return await self.interact(user, 3, data, channel, message_id=message_id)

    async def choose(self, user: User, message_id: int, custom_id: str, *values: str) -> dict[str, Any]:
        """A member picks options of a select menu on a message."""
        channel = self._channel(int(self.messages[message_id]["channel_id"]))
        data = {"custom_id": custom_id, "component_type": 3, "values": list(values)}
        return await self.interact(user, 3, data, channel, message_id=message_id)

    def _command_id(self, name: str) -> str:
        for commands in self.synced.values():
            for c in commands:
                if c["name"] == name:
                    return str(c["id"])
        return str(snowflake())

    # -- inspecting ---------------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[Request], bool], timeout: float = 5.0) -> Request:
        """The first request (already received or still to come) that matches."""
        deadline = time.monotonic() + timeout
        seen = 0
        async with self._new_request:
            while True:
                for r in self.requests[seen:]:
                    if predicate(r):
                        return r
                seen = len(self.requests)
                left = deadline - time.monotonic()
                if left <= 0:
                    got = ", ".join(f"{r.method} {r.path} {r.status}" for r in self.requests[-8:])
                    raise TimeoutError(f"no matching request; the last ones: {got}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_request.wait(), left)

    async def reply_to(self, interaction: dict[str, Any], timeout: float = 5.0) -> Request:
        """The callback the bot made for an interaction."""
        path = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
        return await self.wait_for(lambda r: r.path == path and r.status == 200, timeout)

    async def replies_to(self, interactions: list[dict[str, Any]], timeout: float = 5.0) -> list[Request | None]:
        """The callback for each interaction (None for those without one within `timeout`), waited
        for together: one waiter, however many interactions."""
        paths = {f"/interactions/{i['id']}/{i['token']}/callback": n for n, i in enumerate(interactions)}
        found: list[Request | None] = [None] * len(interactions)
        missing = len(interactions)
        deadline = time.monotonic() + timeout
        seen = 0
        async with self._new_request:
            while missing:
                for r in self.requests[seen:]:
                    n = paths.get(r.path)
                    if n is not None and r.status == 200 and found[n] is None:
                        found[n] = r
                        missing -= 1
                seen = len(self.requests)
                left = deadline - time.monotonic()
                if left <= 0 or not missing:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_request.wait(), left)
        return found

    async def answer_to(self, interaction: dict[str, Any], timeout: float = 5.0) -> Request:
        """What the member finally reads: the callback's message, or the follow-up after a deferral
        (a busy bot defers first, and the callback then carries no message)."""
        callback = await self.reply_to(interaction, timeout)
        deferred = isinstance(callback.payload, dict) and callback.payload.get("type") in (5, 6)
        return await self.followup(interaction, timeout) if deferred else callback

    async def followup(self, interaction: dict[str, Any], timeout: float = 5.0) -> Request:
        """A follow-up message or an edit of the original response, after a deferred callback."""
        prefix = f"/webhooks/{self.application_id}/{interaction['token']}"
        return await self.wait_for(lambda r: r.path.startswith(prefix) and r.method in ("POST", "PATCH"), timeout)

    async def channel_reply(self, channel: Channel, after: float, timeout: float = 5.0) -> Request:
        """The next message the bot posts in a channel after the given time."""
        path = f"/channels/{channel.id}/messages"
        return await self.wait_for(
            lambda r: r.path == path and r.method == "POST" and r.at >= after and r.status == 200, timeout
        )

    def channel_posts(self, channel: Channel) -> list[Request]:
        return [r for r in self.requests if r.path == f"/channels/{channel.id}/messages" and r.method == "POST"]

    def dispatched_at(self, interaction: dict[str, Any]) -> float:
        return float(self._interactions[interaction["id"]]["dispatched"])


def _invalid_form(problems: list[str]) -> dict[str, Any]:
    return {"message": "Invalid Form Body", "code": 50035, "errors": {"_errors": [{"message": p} for p in problems]}}
