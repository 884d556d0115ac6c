"""`auto` classifier precision chosen by measurement, once per machine and model architecture.

fp32 and each candidate precision are timed on a fixed probe and their labels compared
(`calibration_measure`); `auto` is the fastest candidate whose labels agree with fp32's on at
least 98% of the probe, fp32 unless one beats it by MIN_GAIN. Candidates a device cannot run
well are skipped without measuring, the reason recorded (emulated bf16 measured about 7x slower
than fp32).

The table is cached as JSON in `<cache_dir>/calibration/<machine-hash>.json`: the machine
fingerprint (CPU model and flags, cores, torch and onnxruntime versions) names the file, and
inside it there is one entry per architecture (model type and sizes from config.json, not the
model id), input shape, device and thread count. A later run reuses an entry that covers its
candidates; a corrupt file is measured again and overwritten, with a warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import warnings
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from newslens.files import locked, write_atomically
from newslens.models.calibration_measure import (MIN_AGREEMENT, MIN_GAIN, Build, Probe, Row,
                                                 choose, default_probe, measure)
from newslens.models.loading import ResolvedModel
from newslens.threads import available_cores, cpu_flags

__all__ = ["MIN_AGREEMENT", "MIN_GAIN", "DEFAULT_CANDIDATES", "Calibration", "Probe", "Row",
           "calibrate", "choose", "default_probe", "machine_fingerprint",
           "measure", "resolve_auto"]

log = logging.getLogger(__name__)

CACHE_VERSION = 1
DEFAULT_CANDIDATES = ("fp32", "bf16", "int8", "onnx-int8")
RELEVANT_FLAGS = ("avx2", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "avx_vnni",
                  "amx_bf16", "amx_int8", "amx_tile", "fma", "f16c")


@dataclass(frozen=True)
class Calibration:
    entry: str  # the key inside the cache file
    rows: tuple[Row, ...]
    choice: str
    measured_at: str
    cache_path: Path
    reused: bool = False
    load_before: float | None = None  # 1-minute load average when measuring began


# -- what identifies a measurement ------------------------------------------------------------
def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine_fingerprint() -> dict[str, Any]:
    """What a timing depends on besides the model: CPU, its flags, cores, library versions."""
    name = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": name, "flags": sorted(cpu_flags() & set(RELEVANT_FLAGS)),
            "cores": available_cores(), "torch": _version("torch"),
            "onnxruntime": _version("onnxruntime")}


def fingerprint_hash(fingerprint: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:16]


def _config(model: ResolvedModel) -> dict:
    path = Path(model.path) / "config.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read the model's config {path}: {exc}") from None


def architecture_key(model: ResolvedModel) -> str:
    """Model type and sizes, e.g. `xlm-roberta-h768-l12-v250002`: what speed depends on."""
    c = _config(model)
    return (f"{c.get('model_type', 'unknown')}-h{c.get('hidden_size')}-"
            f"l{c.get('num_hidden_layers')}-v{c.get('vocab_size')}")


def is_nli(model: ResolvedModel) -> bool:
    """Whether the model's labels include entailment (stance by zero-shot NLI)."""
    labels = _config(model).get("id2label") or {}
    return any(str(v).strip().lower().startswith("entail") for v in labels.values())


def _device_name(device: str) -> str:
    """`cpu`, or the accelerator's model for a GPU device (the CPU fingerprint misses it)."""
    if device.startswith("cuda"):
        import torch

        if torch.cuda.is_available():
            return f"{device}:{torch.cuda.get_device_name(torch.device(device))}"
    return device


# -- the cache --------------------------------------------------------------------------------
def cache_file(cache_dir: Path, fingerprint: dict[str, Any]) -> Path:
    return Path(cache_dir) / "calibration" / f"{fingerprint_hash(fingerprint)}.json"


def _read(path: Path, fingerprint: dict[str, Any]) -> dict:
    """The cache's entries; empty (with a warning when corrupt) if absent, unreadable or stale."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != CACHE_VERSION or data.get("fingerprint") != fingerprint:
            return {}
        entries = dict(data["entries"])
        for entry in entries.values():
            [Row(**r) for r in entry["rows"]]
            if not (isinstance(entry["measured_at"], str) and isinstance(entry["probe"], str)):
                raise ValueError("an entry lacks its time or probe")
        return entries
    except Exception as exc:
        warnings.warn(f"ignoring the unreadable calibration cache {path} ({type(exc).__name__}: "
                      f"{exc}); measuring again", RuntimeWarning, stacklevel=3)
        return {}


def _write(path: Path, fingerprint: dict[str, Any], entries: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": CACHE_VERSION, "fingerprint": fingerprint, "entries": entries},
                      indent=2, ensure_ascii=False)
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def calibrate(model: ResolvedModel, *, device: str = "cpu",
              candidates: Sequence[str] = DEFAULT_CANDIDATES, build: Build,
              cache_dir: Path, probe: Probe | None = None, pairs: bool | None = None,
              threads: int | None = None, force: bool = False,
              fingerprint: dict[str, Any] | None = None) -> Calibration:
    """The measured table and choice for `model` here: from the cache when it covers the
    candidates (and `force` is off), else measured now and written to the cache."""
    fingerprint = fingerprint if fingerprint is not None else machine_fingerprint()
    pairs = is_nli(model) if pairs is None else pairs
    probe = probe or default_probe(pairs)
    arch = architecture_key(model)
    entry = (f"{arch}|{'pairs' if pairs else 'single'}|{_device_name(device)}"
             f"|threads={threads or available_cores()}")
    path = cache_file(cache_dir, fingerprint)
    if not force and (hit := _reuse(path, fingerprint, entry, probe, candidates)):
        return hit
    # Processes on one host (Dask or Ray workers) measure one at a time, so no timing is taken
    # under another's load, and the second finds the first one's table.
    with ExitStack() as stack:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stack.enter_context(locked(path.with_suffix(".lock")))
        except OSError as exc:  # a read-only cache folder: measure all the same
            warnings.warn(f"measuring without the calibration cache's lock: {exc}",
                          RuntimeWarning, stacklevel=2)
        if not force and (hit := _reuse(path, fingerprint, entry, probe, candidates)):
            return hit
        return _measure_and_store(model, path, fingerprint, entry, arch, probe, build,
                                  candidates, device)


def _reuse(path: Path, fingerprint: dict[str, Any], entry: str, probe: Probe,
           candidates: Sequence[str]) -> Calibration | None:
    """The cached table for `entry`, when it was measured on the same probe and covers the
    candidates; the choice is made again among these candidates."""
    old = _read(path, fingerprint).get(entry)
    if not old or old.get("probe") != probe.key:
        return None
    rows = tuple(Row(**r) for r in old["rows"])
    if not set(candidates) | {"fp32"} <= {r.precision for r in rows}:
        return None
    return Calibration(entry, rows, choose(rows, candidates), old["measured_at"], path,
                       reused=True, load_before=old.get("load_before"))


def _measure_and_store(model: ResolvedModel, path: Path, fingerprint: dict[str, Any], entry: str,
                       arch: str, probe: Probe, build: Build, candidates: Sequence[str],
                       device: str) -> Calibration:
    log.info("calibrating classifier precision for %s (%s) on %s: %s", model.model_id, arch,
             device, ", ".join(candidates))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    rows = tuple(measure(build, candidates, probe, device))
    result = Calibration(entry, rows, choose(rows, candidates),
                         datetime.now(timezone.utc).isoformat(timespec="seconds"), path,
                         load_before=load)
    entries = _read(path, fingerprint)  # as now on disk: other entries are kept
    entries[entry] = {"model_id": model.model_id, "architecture": arch, "device": device,
                      "probe": probe.key, "items": len(probe.texts),
                      "timed_items": len(probe.timed_inputs()[0]),
                      "measured_at": result.measured_at, "load_before": load,
                      "rows": [asdict(r) for r in rows], "choice": result.choice}
    try:
        _write(path, fingerprint, entries)
    except OSError as exc:
        warnings.warn(f"could not write the calibration cache {path}: {exc}", RuntimeWarning,
                      stacklevel=2)
    return result


_CHOSEN: dict[tuple, str] = {}  # per process: the file is read once per model and settings
_CHOSEN_LOCK = threading.Lock()  # flows load classifiers from several threads: measure once


def resolve_auto(model: ResolvedModel, *, device: str = "cpu", cache_dir: Path,
                 calibration: bool = True, threads: int | None = None,
                 candidates: Sequence[str] = DEFAULT_CANDIDATES, build: Build,
                 **options: Any) -> str:
    """The concrete precision `auto` means for `model`: measured (and cached) when calibration
    is on, the CPU-flag rule (`classify.resolve_precision`) when it is off. `build(precision)`
    gives a classifier (`engines.classifier_builder`); `options` are the rest of what it was
    built with (batching), part of the in-process key."""
    from newslens.models.classify import resolve_precision

    if not calibration:
        return resolve_precision("auto", device)
    key = (model, device, str(cache_dir), threads, tuple(candidates), tuple(sorted(options.items())))
    with _CHOSEN_LOCK:
        if key not in _CHOSEN:
            _CHOSEN[key] = calibrate(model, device=device, candidates=candidates, build=build,
                                     cache_dir=cache_dir, threads=threads).choice
        return _CHOSEN[key]
