"""Run the emulator alone until killed: `python -m tests.discord_emulator`. Prints its two URLs and token.

For checks outside the test suite, such as .ci/image-check, which connects the bot inside the
Docker image to it and then runs the image's HEALTHCHECK. With `--ask QUESTION`, a member asks
/ask once the bot is connected, and the first line of what they read is printed as
`ANSWERED: ...` (or `UNANSWERED: ...`).
"""

from __future__ import annotations

import argparse
import asyncio

from tests.discord_emulator.server import DiscordEmulator


async def main(questions: list[str]) -> None:
    emu = await DiscordEmulator().start()
    print(f"BOT_API_BASE_URL={emu.api_base_url}", flush=True)
    print(f"BOT_GATEWAY_URL={emu.gateway_url}", flush=True)
    print(f"DISCORD_TOKEN={emu.token}", flush=True)
    await emu.ready.wait()
    await asyncio.sleep(1.0)  # the bot's ready event follows its guilds
    for question in questions:
        interaction = await emu.slash(emu.alice, "ask", question=question)
        try:
            reply = await emu.reply_to(interaction, timeout=20)
        except TimeoutError as err:
            print(f"UNANSWERED: {question}: {err}", flush=True)
            continue
        lines = [line for line in reply.text().splitlines() if line.strip()]
        print(f"ANSWERED: {' / '.join(lines[:2])}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ask", action="append", default=[], metavar="QUESTION", help="a member asks /ask QUESTION")
    asyncio.run(main(parser.parse_args().ask))
