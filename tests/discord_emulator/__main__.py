"""Run the emulator alone until killed: `python -m tests.discord_emulator`. Prints its two URLs and token.

For checks outside the test suite, such as .ci/image-check, which connects the bot inside the
Docker image to it and then runs the image's HEALTHCHECK.
"""

from __future__ import annotations

import asyncio

from tests.discord_emulator.server import DiscordEmulator


async def main() -> None:
    emu = await DiscordEmulator().start()
    print(f"BOT_API_BASE_URL={emu.api_base_url}", flush=True)
    print(f"BOT_GATEWAY_URL={emu.gateway_url}", flush=True)
    print(f"DISCORD_TOKEN={emu.token}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
