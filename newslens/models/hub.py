"""Talking to the Hugging Face hub without ever waiting forever.

huggingface_hub (2.4) sends its API calls (model info, the file tree) with no timeout at all:
a hub, proxy or mirror that accepts the connection and then says nothing would hang a nightly
run for good. `use_hub_timeout` installs an HTTP client whose transport gives every request
that came without a timeout a finite one; file downloads keep huggingface_hub's own
(`HF_HUB_DOWNLOAD_TIMEOUT`, `HF_HUB_ETAG_TIMEOUT`, 10 s each by default).
"""

from __future__ import annotations

import threading

_installed: float | None = None
_lock = threading.Lock()


def _timeout_transport(seconds: float):
    import httpx2

    class TimeoutTransport(httpx2.HTTPTransport):
        """An HTTP transport that fills in `seconds` where a request set no timeout."""

        def handle_request(self, request):  # type: ignore[override]
            current = request.extensions.get("timeout") or {}
            if not any(current.get(k) for k in ("connect", "read", "write", "pool")):
                request.extensions["timeout"] = {"connect": seconds, "read": seconds,
                                                 "write": seconds, "pool": seconds}
            return super().handle_request(request)

    return TimeoutTransport()


def use_hub_timeout(seconds: float) -> None:
    """Make every huggingface_hub request give up after `seconds` of silence (process-wide,
    set once per distinct value)."""
    global _installed
    if seconds <= 0:
        raise ValueError(f"hub timeout must be positive, not {seconds}")
    with _lock:
        if _installed == seconds:
            return
        import httpx2
        from huggingface_hub import set_client_factory
        from huggingface_hub.utils._http import hf_request_event_hook

        def factory() -> "httpx2.Client":
            return httpx2.Client(event_hooks={"request": [hf_request_event_hook]},
                                 follow_redirects=True, timeout=seconds,
                                 transport=_timeout_transport(seconds))

        set_client_factory(factory)
        _installed = seconds
