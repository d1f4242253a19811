"""Discord's HTTP interactions endpoint: interactions POSTed to the bot, answered by several processes.

With an Interactions Endpoint URL set in the developer portal, Discord sends every interaction over
HTTP instead of the gateway; the gateway process keeps mentions, DMs, announcements and refreshes.
Each process here runs the same bot without a gateway, so that the interactions of a burst are
answered side by side (docs/benchmarks.md, issue 13).
"""
