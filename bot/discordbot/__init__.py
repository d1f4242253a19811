"""The Discord front end: slash commands, mentions and DMs, rendered from the core's `Answer`s."""
