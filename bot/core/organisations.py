"""Organisations as people write them: profile pages give slugs ("deepmind", "microsoft-research")."""

from __future__ import annotations

# Names whose capitals a slug loses and title case does not give back.
_SPELLED = {
    "deepmind": "Google DeepMind",
    "openai": "OpenAI",
    "ibm-research": "IBM Research",
    "meta-ai": "Meta AI",
    "eth-zurich": "ETH Zurich",
    "mit": "MIT",
}


def organisation_name(slug: str) -> str:
    """A display name: "microsoft-research" -> "Microsoft Research"; text with spaces as it is."""
    text = slug.strip()
    if not text or " " in text or any(c.isupper() for c in text):
        return text
    return _SPELLED.get(text.lower(), " ".join(w.capitalize() for w in text.split("-")))
