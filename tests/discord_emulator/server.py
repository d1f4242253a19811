"""A Discord emulator on 127.0.0.1: the REST routes and the gateway a discord.py bot uses.

The real, unmodified discord.py client talks to it over HTTP and a websocket, exactly as it talks
to Discord; the bot under test is pointed at it by its configuration (`discord.api_base_url` and
`discord.gateway_url`). Tests drive members' actions (messages, slash commands, autocomplete,
button clicks) and inspect every request the bot made, with Discord's limits checked on each.
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

from tests.discord_emulator.limits import choices_problems, message_problems
from tests.discord_emulator.payloads import (
    ARCHIVE_DURATIONS,
    CREATE_PUBLIC_THREADS,
    EMBED_LINKS,
    EVERYONE_DEFAULT,
    MANAGE_GUILD,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
    Channel,
    Guild,
    Member,
    User,
    message,
    now_iso,
    snowflake,
)

EPHEMERAL = 1 << 6


@dataclass
class Request:
    """One request the bot made, as received."""

    method: str
    path: str  # without the /api/v10 prefix
    payload: Any
    at: float
    status: int = 200
    query: dict[str, str] = field(default_factory=dict)

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
    """One guild with a few channels and members, one bot application, one gateway session."""

    def __init__(self, token: str = "emulated.bot.token", heartbeat_ms: int = 41250) -> None:
        self.token = token
        self.heartbeat_ms = heartbeat_ms
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
        self.dm_channels: dict[int, Channel] = {}
        self.threads: dict[int, Channel] = {}  # by id, which is the id of the message it was started from
        self.member_messages: dict[int, dict[str, Any]] = {}  # what members posted, by id
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self.unknown_routes: list[str] = []
        self.synced: dict[str, list[dict[str, Any]]] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self._interactions: dict[int, dict[str, Any]] = {}  # by interaction id: token, channel, answered...
        self.identify_intents: int | None = None
        self.identifies = 0
        self.resumes = 0
        self.ready = asyncio.Event()
        self._failures: list[tuple[str, str, Failure]] = []
        self._ws: web.WebSocketResponse | None = None
        self._seq = 0
        self._session = ""
        self._new_request = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

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
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

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
        """Close the gateway websocket the way a network failure would; the bot should resume."""
        if self._ws is not None:
            await self._ws.close(code=4000, message=b"emulated drop")

    # -- the gateway ---------------------------------------------------------------------------

    async def _send(self, op: int, d: Any, t: str | None = None) -> None:
        if self._ws is None or self._ws.closed:
            raise ConnectionError("the bot is not connected to the gateway")
        frame: dict[str, Any] = {"op": op, "d": d, "s": None, "t": t}
        if op == 0:
            self._seq += 1
            frame["s"] = self._seq
        await self._ws.send_str(json.dumps(frame))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        await self._send(0, data, event)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await self._send(10, {"heartbeat_interval": self.heartbeat_ms})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op, d = frame.get("op"), frame.get("d")
            if op == 1:
                await self._send(11, None)
            elif op == 2:
                await self._identify(d)
            elif op == 6:
                self.resumes += 1
                await self.dispatch("RESUMED", {})
        return ws

    async def _identify(self, d: dict[str, Any]) -> None:
        if d.get("token") != self.token:
            assert self._ws is not None
            await self._ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies += 1
        self.identify_intents = d.get("intents")
        self._session = f"session-{snowflake()}"
        self._seq = 0
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": self.bot.payload(),
                "guilds": [{"id": str(self.guild.id), "unavailable": True}],
                "session_id": self._session,
                "resume_gateway_url": self.gateway_url,
                "application": {"id": str(self.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
            },
        )
        await self.dispatch("GUILD_CREATE", self.guild.payload(self.bot.id))
        self.ready.set()

    # -- REST --------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        payload: Any = None
        if request.can_read_body:
            if request.content_type.startswith("multipart/"):
                form = await request.post()
                payload = json.loads(str(form.get("payload_json", "{}")))
            else:
                raw = await request.text()
                payload = json.loads(raw) if raw else None
        entry = Request(request.method, path, payload, time.monotonic(), query=dict(request.query))
        status, body, headers = await self._route(request, path, payload, entry)
        entry.status = status
        self.requests.append(entry)
        async with self._new_request:
            self._new_request.notify_all()
        if body is None:
            return web.Response(status=status, headers=headers)
        # Exactly "application/json", as Discord sends it: discord.py compares the header verbatim.
        headers = {**headers, "Content-Type": "application/json"}
        return web.Response(body=json.dumps(body).encode(), status=status, headers=headers)

    def _authorised(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization", "")
        return auth == f"Bot {self.token}"

    async def _route(
        self, request: web.Request, path: str, payload: Any, entry: Request
    ) -> tuple[int, Any, dict[str, str]]:
        method = request.method
        for i, (m, pattern, failure) in enumerate(self._failures):
            if m == method and re.fullmatch(pattern, path):
                del self._failures[i]
                return failure.status, failure.body, failure.headers
        webhook = path.startswith(("/webhooks/", "/interactions/"))
        if not webhook and not self._authorised(request):
            return 401, {"message": "401: Unauthorized", "code": 0}, {}

        if method == "GET" and path == "/users/@me":
            return 200, self.bot.payload(), {}
        if method == "GET" and path in ("/gateway", "/gateway/bot"):
            limits = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limits}, {}
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
            return self._callback(int(m.group(1)), payload)
        if m := re.fullmatch(r"/webhooks/(\d+)/([^/]+)(?:/messages/(@original|\d+))?", path):
            return self._webhook(method, m.group(2), m.group(3), payload)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)):
            return await self._start_thread(int(m.group(1)), int(m.group(2)), payload)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return self._channel_message(int(m.group(1)), payload)
        if method == "PATCH" and (m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path)):
            return self._edit(int(m.group(2)), payload)
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

    def _check_message(self, where: str, data: dict[str, Any], channel_id: int | None) -> list[str]:
        problems = message_problems(data)
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
        for channel in [*self.guild.channels, *self.dm_channels.values(), *self.threads.values()]:
            if channel.id == channel_id:
                return channel
        return None

    def _store(self, data: dict[str, Any], channel_id: int, **extra: Any) -> dict[str, Any]:
        msg = message(
            channel_id,
            self.bot.payload(),
            data.get("content") or "",
            guild_id=None if channel_id in self._dm_ids() else self.guild.id,
            embeds=data.get("embeds"),
            components=data.get("components"),
            flags=data.get("flags") or 0,
            **extra,
        )
        self.messages[int(msg["id"])] = msg
        return msg

    def _dm_ids(self) -> set[int]:
        return {c.id for c in self.dm_channels.values()}

    def _channel_message(self, channel_id: int, data: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        channel = self._channel(channel_id)
        if channel is None:
            return 404, {"message": "Unknown Channel", "code": 10003}, {}
        if channel.bot_denied & (SEND_MESSAGES_IN_THREADS if channel.is_thread else SEND_MESSAGES):
            return 403, {"message": "Missing Permissions", "code": 50013}, {}
        problems = self._check_message(f"POST /channels/{channel_id}/messages", data, channel_id)
        if problems or (problems := self._check_reference(channel_id, data.get("message_reference"))):
            return 400, _invalid_form(problems), {}
        return 200, self._store(data, channel_id), {}

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

    def _edit(self, message_id: int, data: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        msg = self.messages.get(message_id)
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if problems := self._check_message(f"PATCH message {message_id}", {**msg, **data}, None):
            return 400, _invalid_form(problems), {}
        msg.update({k: v for k, v in data.items() if k in ("content", "embeds", "components", "flags")})
        return 200, msg, {}

    # interactions: callbacks and follow-ups ---------------------------------------------------

    def _callback(self, interaction_id: int, payload: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
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
        elif kind in (4, 7) and self._check_message(where, data, pending["channel_id"]):
            return 400, _invalid_form(self.violations[-1:]), {}
        pending["answered"] = True
        body: dict[str, Any] = {
            "interaction": {"id": str(interaction_id), "type": pending["type"]},
            "resource": {"type": kind},
        }
        if kind in (4, 5):
            msg = self._store(data, pending["channel_id"], interaction_metadata=pending["metadata"])
            pending["original"] = int(msg["id"])
            body["interaction"]["response_message_id"] = msg["id"]
            body["interaction"]["response_message_loading"] = kind == 5
            body["interaction"]["response_message_ephemeral"] = bool((data.get("flags") or 0) & EPHEMERAL)
            body["resource"]["message"] = msg
        elif kind == 7 and pending.get("message_id"):
            self.messages[pending["message_id"]].update(
                {k: v for k, v in data.items() if k in ("content", "embeds", "components")}
            )
            body["resource"]["message"] = self.messages[pending["message_id"]]
        return 200, body, {}

    def _webhook(
        self, method: str, token: str, which: str | None, payload: Any
    ) -> tuple[int, Any, dict[str, str]]:
        pending = next((p for p in self._interactions.values() if p["token"] == token), None)
        if pending is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}, {}
        channel_id = pending["channel_id"]
        if method == "POST" and which is None:
            if problems := self._check_message(f"follow-up {token[:8]}", payload, channel_id):
                return 400, _invalid_form(problems), {}
            return 200, self._store(payload, channel_id, webhook_id=self.application_id), {}
        message_id = pending.get("original") if which == "@original" else int(which or 0)
        if message_id is None or message_id not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if method == "PATCH":
            return self._edit(message_id, payload)
        if method == "GET":
            return 200, self.messages[message_id], {}
        if method == "DELETE":
            self.messages.pop(message_id, None)
            return 204, None, {}
        return 405, {"message": "405: Method Not Allowed", "code": 0}, {}

    # -- driving: what members do ----------------------------------------------------------------

    def member(self, user: User) -> Member:
        return next(m for m in self.guild.members if m.user.id == user.id)

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
        guild_id = None if dm else self.guild.id
        member = None if dm else self.member(author).payload()
        msg = message(channel.id, author.payload(), content, guild_id=guild_id, member=member, mentions=mentions)
        if member is not None:
            msg["member"] = {k: v for k, v in member.items() if k != "user"}
        if reply_to is not None:
            msg["type"] = 19  # REPLY
            where = {k: reply_to[k] for k in ("channel_id", "guild_id") if k in reply_to}
            msg["message_reference"] = {"type": 0, "message_id": reply_to["id"], **where}
            msg["referenced_message"] = reply_to
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
        """Dispatch an INTERACTION_CREATE; returns what the tests need to find its answer."""
        channel = channel or self.general
        member = self.member(user)
        interaction_id = snowflake()
        token = f"itoken-{interaction_id}"
        app_permissions = EVERYONE_DEFAULT & ~channel.bot_denied
        metadata = {"id": str(interaction_id), "type": kind, "user": user.payload(),
                    "authorizing_integration_owners": {"0": str(self.guild.id)}}  # fmt: skip
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(self.guild.id),
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
            "authorizing_integration_owners": {"0": str(self.guild.id)},
            "context": 0,
        }
        if message_id is not None:
            payload["message"] = self.messages[message_id]
        self._interactions[interaction_id] = {
            "token": token, "type": kind, "channel_id": channel.id, "answered": False, "metadata": metadata,
            "message_id": message_id, "dispatched": time.monotonic(),
        }  # fmt: skip
        await self.dispatch("INTERACTION_CREATE", payload)
        return {"id": interaction_id, "token": token}

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
