"""Turning an `Answer` into text for a reader: plain text here, Discord under bot.discordbot."""
