"""Drive the compiled load generator ``wrk`` against one endpoint and read its figures back.

On 2 cores a Python load generator caps ``/healthz`` itself (about 1,000-1,700 req/s while the
server idles) and so flatters every ratio to it; wrk costs a fraction of that per request. Each run
gets a small Lua script: the auth and CSRF headers, for a send a POST with a JSON body and a new
Idempotency-Key per request, and a ``done`` hook that prints the figures as one JSON line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

# ``done`` runs once in wrk's main thread with the merged statistics; latencies are microseconds.
_SCRIPT = """
wrk.method = "{method}"
wrk.headers["Authorization"] = "{authorization}"
wrk.headers["X-Requested-With"] = "portal"
{body}
local threads = {{}}
local nonce = "{nonce}"
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  counter = 0
end
function request()
  if wrk.method == "POST" then
    counter = counter + 1
    wrk.headers["Idempotency-Key"] = nonce .. "-" .. tid .. "-" .. counter
  end
  return wrk.format()
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK-JSON {{\\"requests\\": %d, \\"duration_us\\": %d, \\"p50_us\\": %d, \\"p99_us\\": %d, "
    .. "\\"errors\\": %d}}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""
SEND_BODY = '{"body": "Are we still meeting on Tuesday?"}'


def available() -> str | None:
    return shutil.which("wrk")


def run(
    base_url: str,
    path: str,
    token: str | None,
    *,
    seconds: float,
    connections: int,
    threads: int = 2,
    nonce: str,
) -> dict[str, Any]:
    """One wrk run; ``path`` may start with ``POST:`` for a message send (201 expected).

    wrk counts any status outside 2xx/3xx as an error (``errors.status``)."""
    post = path.startswith("POST:")
    body = ""
    if post:
        body = (
            f'wrk.body = {json.dumps(SEND_BODY)}\nwrk.headers["Content-Type"] = "application/json"'
        )
    script = _SCRIPT.format(
        method="POST" if post else "GET",
        authorization=f"Bearer {token}" if token else "",
        body=body,
        nonce=nonce,
    )
    if not token:
        script = script.replace('wrk.headers["Authorization"] = ""\n', "")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            lua.name,
            base_url + path.removeprefix("POST:"),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    finally:
        Path(lua.name).unlink(missing_ok=True)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line.removeprefix("WRK-JSON "))
    elapsed = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "seconds": round(elapsed, 3),
        "rps": figures["requests"] / elapsed,
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["errors"],
    }
