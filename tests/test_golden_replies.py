"""Every kind of reply, as Discord receives it, against a file a person has read: tests/data/golden/*.json.

Each reply goes through the emulated Discord (the real discord.py against tests/discord_emulator), which
refuses anything Discord would refuse; here each is also held to what a member takes in at a glance
(one paper's reply at most 1,400 characters of embed text, any answer at most 2,400), to no ping, to no
internal noise (no score, no arXiv code), and to buttons under every answer with papers.

After a deliberate change to replies, regenerate the files and read the diff before committing it:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_golden_replies.py
"""

from __future__ import annotations

import json
import os
import re
import struct
from pathlib import Path
from typing import Any

from tests.discord_emulator.harness import running_bot, scenario
from tests.discord_emulator.server import DiscordEmulator, Request

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
ONE_PAPER, ANY_REPLY = 1400, 2400
CATEGORY_CODE = re.compile(r"\b(cs|stat|math|q-bio|eess|physics)\.[A-Z]{2}\b")

# name: (command, options, embed text at most, the components papers come with: "links" (arXiv, PDF...
# as buttons), "actions" (Full abstract, Cite, More like this), "menu" (a menu that opens a paper), "pages"
# (Previous / Next), "examples" (example questions to press when nothing matched)
KINDS: dict[str, tuple[str, dict[str, Any], int, set[str]]] = {
    "ask_one_paper": ("ask", {"question": "What is COCOA?"}, ONE_PAPER, {"links", "actions"}),
    "ask_several_papers": ("ask", {"question": "credit assignment in recurrent networks"}, ANY_REPLY,
                           {"links", "actions", "menu"}),
    "ask_list": ("ask", {"question": "what did he write with Razvan Pascanu?"}, ANY_REPLY, {"menu"}),
    "ask_list_in_pages": ("ask", {"question": "list all papers"}, ANY_REPLY, {"menu", "pages"}),
    "ask_figures": ("ask", {"question": "What is his h-index?"}, ANY_REPLY, set()),
    "ask_who_he_is": ("ask", {"question": "who is he?"}, ANY_REPLY, {"menu"}),
    "ask_nothing_relevant": ("ask", {"question": "What's the weather in Paris?"}, ANY_REPLY, {"examples"}),
    "paper": ("paper", {"title": "COCOA"}, ONE_PAPER, {"links", "actions"}),
    "papers": ("papers", {}, ANY_REPLY, {"menu", "pages"}),
    "coauthors": ("coauthors", {}, ANY_REPLY, {"pages"}),
    "about": ("about", {}, ANY_REPLY, set()),
    "cite": ("cite", {"title": "COCOA"}, ANY_REPLY, {"links"}),
    "stats": ("stats", {}, ANY_REPLY, set()),
}


def components(message: dict[str, Any]) -> set[str]:
    """Which kinds of components a message carries."""
    found = set()
    for row in message.get("components") or []:
        for c in row["components"]:
            if c.get("url"):
                found.add("links")
            elif c["type"] == 3:
                found.add("menu")
            elif c.get("label") in ("Previous", "Next"):
                found.add("pages")
            elif c.get("label") in ("Full abstract", "Cite", "More like this"):
                found.add("actions")
            else:
                found.add("examples")
    return found


def embed_text(message: dict[str, Any]) -> int:
    """Characters of embed text, as Discord counts them against its limits."""
    total = 0
    for e in message.get("embeds") or []:
        total += len(e.get("title") or "") + len(e.get("description") or "")
        total += len((e.get("footer") or {}).get("text") or "") + len((e.get("author") or {}).get("name") or "")
        total += sum(len(f["name"]) + len(f["value"]) for f in e.get("fields") or [])
    return total


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def stable(reply: Request) -> dict[str, Any]:
    """The message as sent, without what changes from run to run (generated custom ids)."""
    message = json.loads(json.dumps(reply.message))
    for row in message.get("components") or []:
        for component in row.get("components") or []:
            if "custom_id" in component:
                component["custom_id"] = "<generated>"
    for attachment in message.get("attachments") or []:
        name = attachment["filename"]
        width, height = png_size(reply.files[name])
        attachment["png"] = {"width": width, "height": height}
    return message


def compare(name: str, got: dict[str, Any]) -> str | None:
    """None when the reply is its golden file; otherwise what to do."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(got, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return None
    if not path.exists():
        return f"{path.name} is missing: run with UPDATE_GOLDEN=1 and read it"
    if path.read_text(encoding="utf-8") != text:
        return f"{path.name} differs: run with UPDATE_GOLDEN=1 and read the diff"
    return None


async def ask(emu: DiscordEmulator, command: str, options: dict[str, Any]) -> Request:
    reply = await emu.reply_to(await emu.slash(emu.alice, command, **options), timeout=15)
    if reply.payload.get("type") == 5:  # deferred: the message is the follow-up
        return await emu.wait_for(lambda r: r.method == "POST" and "/webhooks/" in r.path and r.at >= reply.at)
    return reply


@scenario
async def test_every_kind_of_reply_is_its_golden_file_within_limits_with_buttons_and_no_ping() -> None:
    problems: list[str] = []
    async with running_bot(defer_after_ms=2500) as (emu, _):
        for name, (command, options, most, expected) in KINDS.items():
            reply = await ask(emu, command, options)
            message = reply.message
            text = re.sub(r"```.*?```", "", reply.text(), flags=re.S)  # BibTeX's primaryClass is cs.LG by right
            assert message["allowed_mentions"] == {"parse": []}, f"{name}: no ping possible"
            assert embed_text(message) <= most, f"{name}: {embed_text(message)} characters > {most}"
            assert "score" not in text.lower() and not CATEGORY_CODE.search(text), f"{name}: internal noise"
            assert components(message) == expected, name
            if difference := compare(name, stable(reply)):
                problems.append(difference)
        assert emu.violations == [] and emu.unknown_routes == []
    assert problems == []
