"""The slash commands, one cog per feature (discord.py extensions, loaded by name from the client).

Errors of every command go to the one handler on the command tree (`PaperBot._command_error`): an
apology with an error id for the member, the traceback with the same id in the log.
"""
