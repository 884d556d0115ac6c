"""Translation route profiles: which openly licensed model translates each language.

`fast` is the opus-mt base models (transformer-base: d_model 512, 6+6 layers, ~75M
parameters, Apache-2.0). `quality` routes the languages where the OPUS-MT project published a
transformer-big model (`opus-mt-tc-*`: d_model 1024, 16 heads, FFN 4096, 6+6 layers, CC-BY-4.0)
to it, and keeps the base model elsewhere. Each repository, licence and score below was read
from its model card (README "Translation routes"); none is a guess.
"""

from __future__ import annotations

from typing import Literal

Profile = Literal["fast", "quality"]
PROFILES: tuple[str, ...] = ("fast", "quality")

FAST_ROUTES: dict[str, str] = {
    lang: f"Helsinki-NLP/opus-mt-{lang}-en"
    for lang in ("it", "fr", "de", "es", "ru", "uk", "nl", "pl")
}

# transformer-big models with a published card, licence cc-by-4.0; zle/zlw are multilingual
# (East / West Slavic to English), so one model serves ru and uk, another pl (and cs).
QUALITY_ROUTES: dict[str, str] = {
    **FAST_ROUTES,
    "it": "Helsinki-NLP/opus-mt-tc-big-it-en",
    "fr": "Helsinki-NLP/opus-mt-tc-big-fr-en",
    "bg": "Helsinki-NLP/opus-mt-tc-big-bg-en",
    "ru": "Helsinki-NLP/opus-mt-tc-big-zle-en",
    "uk": "Helsinki-NLP/opus-mt-tc-big-zle-en",
    "pl": "Helsinki-NLP/opus-mt-tc-big-zlw-en",
    "cs": "Helsinki-NLP/opus-mt-tc-big-zlw-en",
}

ROUTES: dict[str, dict[str, str]] = {"fast": FAST_ROUTES, "quality": QUALITY_ROUTES}


def routes_for(profile: str) -> dict[str, str]:
    """A copy of the routes of `profile`; an unknown name raises, naming the choices."""
    if profile not in ROUTES:
        raise ValueError(f"unknown translation profile {profile!r}; choose one of {PROFILES}")
    return dict(ROUTES[profile])
