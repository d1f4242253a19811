"""Which conversation a Discord question continues: one per thread (or DM, or channel) and member.

A DM, a message in a thread the bot answered in, a reply to one of the bot's messages and `/ask`
inside such a thread continue the member's conversation there; any other question starts a new
one in its place (which a reply to its answer then continues). Members never share one: the key
holds the member's id. The conversations themselves live in the core's store, bounded and idle-
expiring; a restart forgets them, and the threads the bot answered in.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import discord

from bot.core.conversation import Conversations, ConversationStore
from bot.core.engine import Engine
from bot.core.followups import ask_in
from bot.core.models import Answer
from bot.core.text import cut
from bot.settings import ConversationSettings

THREAD_NAME = 100  # Discord's limit on a thread's name


def thread_name(question: str) -> str:
    """A thread's name from the question it answers: one line, within Discord's limit."""
    return cut(" ".join(question.split()), THREAD_NAME) or "Question"


@dataclass(frozen=True)
class Place:
    """Where a question was asked (a channel, thread or DM, and the member), and whether it continues
    the member's conversation there."""

    channel_id: int
    member_id: int
    continues: bool

    @property
    def key(self) -> tuple[int, int]:
        return (self.channel_id, self.member_id)


class DiscordConversations:
    """The members' conversations, and the threads the bot answered in (as many as conversations)."""

    def __init__(self, settings: ConversationSettings, store: ConversationStore | None = None) -> None:
        """`store`: where the conversations are kept (the processes' shared file); in memory by default."""
        self.store = store if store is not None else Conversations(settings.idle_minutes, settings.max_active)
        self._threads: OrderedDict[int, None] = OrderedDict()  # least recently answered in first

    def configure(self, settings: ConversationSettings) -> None:
        """The limits of a reloaded config, from the next question on."""
        self.store.configure(settings.idle_minutes, settings.max_active)

    def answered_in(self, channel: object) -> None:
        """Remember that the bot answered in this channel, if it is a thread."""
        if isinstance(channel, discord.Thread):
            self._threads[channel.id] = None
            self._threads.move_to_end(channel.id)
            while len(self._threads) > self.store.max_active:
                self._threads.popitem(last=False)

    def is_bot_thread(self, channel: object, me: int) -> bool:
        """A thread the bot answered in (or opened), where a member's messages continue their conversation."""
        if not isinstance(channel, discord.Thread):
            return False
        return channel.id in self._threads or channel.owner_id == me

    def of_message(self, message: discord.Message, me: int) -> Place:
        """The conversation a message continues, or starts."""
        reference = message.reference
        replied = reference.resolved if reference is not None else None
        continues = (
            message.guild is None
            or self.is_bot_thread(message.channel, me)
            or (isinstance(replied, discord.Message) and replied.author.id == me)
        )
        return Place(message.channel.id, message.author.id, continues)

    def of_interaction(self, interaction: discord.Interaction, me: int) -> Place:
        """The conversation `/ask` continues (in a DM, or a thread the bot answered in), or starts."""
        channel = interaction.channel
        thread_owner = channel.owner_id if isinstance(channel, discord.Thread) else None
        return self.of_ids(interaction.channel_id or 0, interaction.user.id, interaction.guild_id is None,
                           thread_owner, me)  # fmt: skip

    def of_ids(self, channel_id: int, member_id: int, dm: bool, thread_owner: int | None, me: int) -> Place:
        """The same from ids, as an HTTP interaction gives them (`thread_owner`: None outside threads)."""
        continues = dm or channel_id in self._threads or thread_owner == me
        return Place(channel_id, member_id, continues)

    def ask(self, engine: Engine, place: Place, question: str) -> Answer:
        """The answer in the place's conversation; one that does not continue starts anew there."""
        return ask_in(self.store, place.key, engine, question, anew=not place.continues)
