"""Discord's documented limits on what a bot sends: the emulator refuses what Discord would refuse."""

from __future__ import annotations

from typing import Any

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
ACTION_ROWS = 5
ROW_COMPONENTS = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
CHOICES = 25
CHOICE_TEXT = 100
BUTTON_URL = 512
SELECT_OPTIONS = 25
OPTION_TEXT = 100
PLACEHOLDER = 150
ATTACHMENT_DESCRIPTION = 1024


def _embed_problems(i: int, embed: dict[str, Any]) -> tuple[list[str], int]:
    problems: list[str] = []
    total = 0

    def check(what: str, text: object, limit: int) -> None:
        nonlocal total
        if text is None:
            return
        n = len(str(text))
        total += n
        if n > limit:
            problems.append(f"embeds[{i}].{what}: {n} > {limit}")

    check("title", embed.get("title"), EMBED_TITLE)
    check("description", embed.get("description"), EMBED_DESCRIPTION)
    check("footer.text", (embed.get("footer") or {}).get("text"), FOOTER)
    check("author.name", (embed.get("author") or {}).get("name"), AUTHOR_NAME)
    fields = embed.get("fields") or []
    if len(fields) > FIELDS:
        problems.append(f"embeds[{i}].fields: {len(fields)} > {FIELDS}")
    for j, f in enumerate(fields):
        check(f"fields[{j}].name", f.get("name"), FIELD_NAME)
        check(f"fields[{j}].value", f.get("value"), FIELD_VALUE)
        if not str(f.get("name", "")).strip() or not str(f.get("value", "")).strip():
            problems.append(f"embeds[{i}].fields[{j}]: name and value must not be empty")
    return problems, total


def message_problems(payload: dict[str, Any], files: dict[str, bytes] | None = None) -> list[str]:
    """Everything in a message payload that Discord would reject with 50035 Invalid Form Body."""
    problems: list[str] = []
    content = payload.get("content")
    if content is not None and len(content) > CONTENT:
        problems.append(f"content: {len(content)} > {CONTENT}")
    embeds = payload.get("embeds") or []
    if len(embeds) > EMBEDS:
        problems.append(f"embeds: {len(embeds)} > {EMBEDS}")
    total = 0
    for i, embed in enumerate(embeds):
        found, size = _embed_problems(i, embed)
        problems.extend(found)
        total += size
    if total > EMBED_TOTAL:
        problems.append(f"embeds: {total} characters in all > {EMBED_TOTAL}")
    rows = payload.get("components") or []
    if len(rows) > ACTION_ROWS:
        problems.append(f"components: {len(rows)} rows > {ACTION_ROWS}")
    for r, row in enumerate(rows):
        children = row.get("components") or []
        if len(children) > ROW_COMPONENTS:
            problems.append(f"components[{r}]: {len(children)} > {ROW_COMPONENTS}")
        if any(c.get("type") == 3 for c in children) and len(children) > 1:
            problems.append(f"components[{r}]: a select menu must be alone in its row")
        for c, comp in enumerate(children):
            problems.extend(f"components[{r}][{c}]{p}" for p in _component_problems(comp))
    problems.extend(_attachment_problems(payload, files))
    return problems


def _component_problems(comp: dict[str, Any]) -> list[str]:
    """A button or a select menu Discord would refuse."""
    problems = []
    if len(str(comp.get("custom_id", ""))) > CUSTOM_ID:
        problems.append(f".custom_id > {CUSTOM_ID}")
    if comp.get("type") == 2:
        if len(str(comp.get("label") or "")) > BUTTON_LABEL:
            problems.append(f".label > {BUTTON_LABEL}")
        url = comp.get("url")
        if comp.get("style") == 5:
            if not url or comp.get("custom_id"):
                problems.append(": a link button needs a url and no custom_id")
            elif len(url) > BUTTON_URL or not str(url).startswith(("http://", "https://")):
                problems.append(f".url: not an http(s) address of at most {BUTTON_URL} characters")
        elif url or not comp.get("custom_id"):
            problems.append(": a button other than a link needs a custom_id and no url")
    elif comp.get("type") == 3:
        options = comp.get("options") or []
        if not 1 <= len(options) <= SELECT_OPTIONS:
            problems.append(f".options: {len(options)} not in 1..{SELECT_OPTIONS}")
        if len(str(comp.get("placeholder") or "")) > PLACEHOLDER:
            problems.append(f".placeholder > {PLACEHOLDER}")
        for i, option in enumerate(options):
            for key in ("label", "value", "description"):
                text = option.get(key)
                if text is not None and not 1 <= len(str(text)) <= OPTION_TEXT:
                    problems.append(f".options[{i}].{key}: length {len(str(text))} not in 1..{OPTION_TEXT}")
        if len({o.get("value") for o in options}) != len(options):
            problems.append(".options: values must be unique")
    return problems


def _attachment_problems(payload: dict[str, Any], files: dict[str, bytes] | None) -> list[str]:
    """Attachments without their file, alt text over the limit, embed images naming no attachment."""
    problems = []
    attachments = payload.get("attachments") or []
    names = {str(a.get("filename")) for a in attachments}
    for i, attachment in enumerate(attachments):
        if len(str(attachment.get("description") or "")) > ATTACHMENT_DESCRIPTION:
            problems.append(f"attachments[{i}].description > {ATTACHMENT_DESCRIPTION}")
        if files is not None and str(attachment.get("filename")) not in files:
            problems.append(f"attachments[{i}]: no file uploaded under {attachment.get('filename')!r}")
    for i, embed in enumerate(payload.get("embeds") or []):
        url = str((embed.get("image") or {}).get("url") or "")
        if url.startswith("attachment://") and url.removeprefix("attachment://") not in names:
            problems.append(f"embeds[{i}].image: {url} is not among the message's attachments")
    return problems


def choices_problems(choices: list[dict[str, Any]]) -> list[str]:
    """Autocomplete results Discord would reject."""
    problems = []
    if len(choices) > CHOICES:
        problems.append(f"choices: {len(choices)} > {CHOICES}")
    for i, choice in enumerate(choices):
        for key in ("name", "value"):
            text = str(choice.get(key, ""))
            if not 1 <= len(text) <= CHOICE_TEXT:
                problems.append(f"choices[{i}].{key}: length {len(text)} not in 1..{CHOICE_TEXT}")
    return problems
