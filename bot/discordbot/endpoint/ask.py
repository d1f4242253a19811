"""/ask answered in the HTTP response itself: the burst's hot path, without discord.py's objects.

The same answer and the same message as the Ask cog sends (the guard, the conversation, the cards,
the buttons), built from the interaction's JSON and returned as the callback, where the cog needs
an Interaction object and a request to Discord for each. Its views are stored in this process'
discord.py, which answers their presses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.discordbot.endpoint.routing import THREAD_TYPES, member_id
from bot.discordbot.limits import NO_PINGS

if TYPE_CHECKING:
    from bot.discordbot.client import PaperBot
    from bot.discordbot.replies import Reply

CHANNEL_MESSAGE = 4


class OriginalResponse:
    """The message an inline response made, as its view edits it when its buttons expire: through the
    interaction's token (valid 15 minutes), made into discord.py's Interaction only then."""

    def __init__(self, bot: PaperBot, payload: dict[str, Any]) -> None:
        self._bot = bot
        self._payload = payload

    async def edit(self, *, view: discord.ui.View, allowed_mentions: discord.AllowedMentions) -> Any:
        interaction = self._bot.interaction_of(self._payload)
        return await interaction.edit_original_response(view=view, allowed_mentions=allowed_mentions)


def message(content: str, ephemeral: bool = False) -> dict[str, Any]:
    """An interaction response with a line of text."""
    data: dict[str, Any] = {"content": content, "allowed_mentions": NO_PINGS.to_dict()}
    if ephemeral:
        data["flags"] = discord.MessageFlags(ephemeral=True).value
    return {"type": CHANNEL_MESSAGE, "data": data}


async def ask_inline(bot: PaperBot, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The interaction response to /ask, or None when the answer may take long enough to need a
    deferral: discord.py then answers it as on the gateway."""
    if not (bot.worker.inline() and bot.config.defer_after_ms > bot.worker.inline_ms):
        return None  # before the guard: the cog checks it then
    options = {o.get("name"): o.get("value") for o in (payload.get("data") or {}).get("options") or []}
    question = str(options.get("question") or "")
    user_id = member_id(payload)
    channel_id = int(payload.get("channel_id") or 0)
    verdict = bot.guard.check(user_id, channel_id)
    if not verdict.allowed:
        bot.questions_limited += 1
        return message(verdict.notice, ephemeral=True)
    if problem := bot.too_long(question):
        return message(problem, ephemeral=True)
    channel = payload.get("channel") or {}
    thread_owner = int(channel.get("owner_id") or 0) if channel.get("type") in THREAD_TYPES else None
    guild_id = payload.get("guild_id")
    me = int(payload.get("application_id") or 0)
    place = bot.conversations.of_ids(channel_id, user_id, guild_id is None, thread_owner, me)
    answer = await bot.answer(question, place)
    bot.log_question(user_id, int(guild_id) if guild_id else None, channel_id, answer)
    embeds = discord.Permissions(int(payload.get("app_permissions") or 0)).embed_links
    reply = bot.answer_message(answer, user_id, embeds)
    sent = response(reply)  # first: it tags the buttons' custom ids, which the view is kept under
    if reply.view is not None:
        bot.keep_view(reply.view)
        reply.view.message = OriginalResponse(bot, payload)
    return sent


def response(reply: Reply) -> dict[str, Any]:
    """The interaction response that sends `reply` (its content, embeds and buttons)."""
    data: dict[str, Any] = {"content": reply.content or None, "embeds": [e.to_dict() for e in reply.embeds],
                            "allowed_mentions": NO_PINGS.to_dict()}  # fmt: skip
    if reply.view is not None:
        data["components"] = reply.view.to_components()
    return {"type": CHANNEL_MESSAGE, "data": data}
