"""An offline Discord for the test suite: REST routes and gateway that real discord.py talks to."""
