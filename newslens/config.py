"""The one settings class of newslens: read once (env prefix NEWSLENS_), then passed down.

Core functions take the values they need as arguments; only the CLI and the flows build a
`Settings`, so nothing deep in the package reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_serializer, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

STAGES: tuple[str, ...] = ("ingest", "translate", "sentiment", "stance")
MODEL_STAGES: tuple[str, ...] = ("translate", "sentiment", "stance")
# Cleaning and sentence splitting, versioned like the model stages: a run re-cleans the stored
# articles it touches (from raw_text) when the rules changed; `--reprocess clean` forces it.
CLEAN_STAGE = "clean"
REDO_STAGES: tuple[str, ...] = (CLEAN_STAGE, *MODEL_STAGES)

# The folder holding the package (a checkout, or the installed tree): a relative path setting
# not found from the working directory is looked up here, so data/targets.yaml works from anywhere.
PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Languages lingua chooses among. A closed set is faster and more accurate than all 75.
DEFAULT_LANGUAGES = [
    "en", "it", "fr", "de", "es", "pt", "nl", "pl", "ru", "uk", "be", "bg", "sr", "cs",
    "ro", "hu", "el", "tr", "ar", "he", "fa", "zh", "ja", "ko", "sv", "da", "fi",
]

# Sources with an opus-mt-{src}-en checkpoint on the Hugging Face hub; the rest go to mul-en.
DEFAULT_TRANSLATION_ROUTES = {
    lang: f"Helsinki-NLP/opus-mt-{lang}-en"
    for lang in ("it", "fr", "de", "es", "ru", "uk", "nl", "pl")
}


class Settings(BaseSettings):
    """Every knob of a run. Environment variables: NEWSLENS_<FIELD> (nested: __)."""

    model_config = SettingsConfigDict(env_prefix="NEWSLENS_", env_nested_delimiter="__",
                                      extra="ignore")

    # Where things live
    lake: Path = Path("data/lake")
    # A remote lake (README "Scaling out"): its PostgreSQL catalog, postgresql://user@host:port/db,
    # and its data path, s3://bucket/prefix; both or neither. The folder `lake` remembers them.
    lake_catalog: str | None = Field(default=None, repr=False)  # may hold a password
    lake_data: str | None = None
    inbox: Path = Path("data/inbox")
    models_dir: Path | None = None
    cache_dir: Path = Path("data/cache")
    targets_file: Path = Path("data/targets.yaml")
    report_out: Path = Path("data/report.html")  # where `newslens report` and its flow write

    # Ingest
    max_file_bytes: int = 10_000_000
    min_body_chars: int = 40
    # Hostile-input limits (see README "Guarantees"): a record over max_record_bytes is
    # rejected; longer bodies, titles and sentences are cut and the cut is recorded in
    # articles.truncation; None switches a cap off.
    max_record_bytes: int = 2_000_000
    max_article_chars: int | None = 200_000
    max_title_chars: int | None = 1_000
    max_sentence_chars: int | None = 800
    max_sentences_per_article: int | None = 5_000
    # Symbolic links pointing outside the input folder are refused unless this is set.
    follow_symlinks_outside_input: bool = False
    languages: list[str] = Field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    # Near-duplicates: a simhash within this Hamming distance (of 64 bits) is a candidate,
    # confirmed when the word 3-shingle Jaccard similarity reaches the minimum.
    near_duplicate_max_distance: int = 12
    near_duplicate_min_jaccard: float = 0.7

    # Models
    allow_download: bool = True
    # Seconds a hub request may go unanswered before the download gives up (see models/hub.py).
    hub_timeout_s: float = 30.0
    device: str = "cpu"
    translation_backend: Literal["ctranslate2", "torch"] = "ctranslate2"
    # fast: opus-mt base models; quality: transformer-big opus-mt-tc models where published
    # (newslens/models/routes.py). Routes set to something other than the fast default win.
    translation_profile: Literal["fast", "quality"] = "fast"
    translation_routes: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_TRANSLATION_ROUTES))
    translation_fallback: str = "Helsinki-NLP/opus-mt-mul-en"
    translation_max_batch_tokens: int = 4096
    translation_beam_size: int = 1
    ct2_compute_type: str = "int8"
    # CTranslate2 replicas; None: one per core on CPU, each with one thread (see translate_ct2).
    ct2_inter_threads: int | None = None
    # Replaces the translators' own decoding: an import path "package.module:attribute" of a
    # policy(translator, source_ids) -> ids (models/options.py). None (real runs): stop at EOS.
    # The benchmark sets bench.fixed_length:policy to decode fixed lengths; the guard is off then.
    translation_decode_policy: str | None = None
    # Check every translation (loops, length ratio, copies, source language, empty output) and
    # retry failures once with safer decoding (models/translation_guard.py). Off in bench mode.
    translation_guard: bool = True
    # Output/source character-length bounds per source language, over the built-in ones,
    # e.g. NEWSLENS_TRANSLATION_LENGTH_RATIOS='{"de": [0.5, 2.0]}'.
    translation_length_ratios: dict[str, tuple[float, float]] = Field(default_factory=dict)
    sentiment_model: str = "cardiffnlp/twitter-xlm-roberta-base-sentiment"
    sentiment_source: Literal["original", "english"] = "original"
    stance_model: str = "MoritzLaurer/mDeBERTa-v3-base-xnli-multilingual-nli-2mil7"
    stance_templates: dict[str, str] = Field(default_factory=lambda: {
        "favor": "This text is in favor of {target}.",
        "against": "This text is against {target}.",
        "neutral": "This text is neutral about {target}.",
    })
    stance_include_leaders: bool = True
    # auto: the fastest precision whose labels agree with fp32, measured (next field).
    classifier_precision: Literal["auto", "fp32", "bf16", "int8", "onnx-int8", "onnx-fp32"] = "auto"
    # auto measured per machine and model architecture, cached (models/calibration, `newslens
    # tune`); off: auto is bf16 on native-bf16 hardware, else ONNX Runtime int8 on CPU.
    classifier_calibration: bool = True
    classifier_max_batch_tokens: int = 8192
    torch_threads: int | None = None  # None: one per core

    # Orchestration
    batch_articles: int = 64
    timezone: str = "UTC"

    @field_serializer("lake_catalog")
    def _hide_password(self, value: str | None) -> str | None:
        """The catalog URL as recorded (runs.config) or shown: never with its password."""
        from newslens.lake.location import mask

        return None if value is None else mask(value)

    @field_validator("targets_file")
    @classmethod
    def _find_targets_file(cls, path: Path) -> Path:
        """A relative targets file missing from the working directory is the project's own."""
        if not path.is_absolute() and not path.exists() and (PROJECT_ROOT / path).exists():
            return PROJECT_ROOT / path
        return path

    @model_validator(mode="after")
    def _apply_profile(self) -> "Settings":
        """Routes of the chosen profile, with any route set explicitly on top."""
        if self.translation_profile != "fast":
            from newslens.models.routes import routes_for

            explicit = {k: v for k, v in self.translation_routes.items()
                        if DEFAULT_TRANSLATION_ROUTES.get(k) != v}
            self.translation_routes = {**routes_for(self.translation_profile), **explicit}
        return self

    def model_ids(self, stages: tuple[str, ...] | list[str] = MODEL_STAGES) -> dict[str, list[str]]:
        """Configured model ids per role, for the stages asked for."""
        roles: dict[str, list[str]] = {}
        if "translate" in stages:
            ids = list(dict.fromkeys([*self.translation_routes.values(), self.translation_fallback]))
            roles["translation"] = ids
        if "sentiment" in stages:
            roles["sentiment"] = [self.sentiment_model]
        if "stance" in stages:
            roles["stance"] = [self.stance_model]
        return roles


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit (non-None) overrides on top.

    The one precedence of newslens: a value given here (a CLI option, a flow parameter) wins
    over NEWSLENS_<FIELD>, which wins over the default. None means "not given", so callers
    pass their options straight through and an unset option never hides the environment.
    """
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)
