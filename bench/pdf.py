"""What rendering the pathway plan PDF off the event loop costs, against WeasyPrint called bare.

    uv run python -m bench.pdf [--runs 10] [--burst 20] [--workers 2]

One run measures, on the realistic plan (10 sections, 30 actions):
  (a) bare ``weasyprint.HTML(string=html).write_pdf()`` in this process, and the same with the
      renderer's options (tagged PDF/UA-1, packaged-assets fetcher): ``render_html_to_pdf``;
  (b) ``PdfRenderer.render`` through the worker processes, interleaved with (a) run by run so a
      busy machine slows both alike; medians and the ratio (target: at most 1.3x bare);
  (c) in a fresh process that, like the API, never renders itself: peak resident memory of that
      process plus its workers while ``--burst`` renders are requested at once (target < 300 MB).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdf
from rich.console import Console
from rich.table import Table

from portal_api.common.pdf import PdfRenderer, render_html_to_pdf
from portal_api.plans.pdf import plan_html
from tests.plans.test_pdf import realistic_context

console = Console(width=None if sys.stdout.isatty() else 120)
TARGET_RATIO = 1.3
TARGET_MB = 300


def _status_kib(pid: int, field: str) -> int:
    """A ``/proc/<pid>/status`` memory field (VmRSS, VmHWM) in KiB; 0 once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match[1]) if match else 0


def _ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


async def measure_speed(html: str, runs: int, workers: int) -> dict[str, Any]:
    import weasyprint  # here, not at the top: the memory run must not load it in its parent

    renderer = PdfRenderer(max_workers=workers)
    try:
        # Warm everything first: WeasyPrint's first render in a process loads fonts and Pango.
        weasyprint.HTML(string=html).write_pdf()
        render_html_to_pdf(html, renderer.base_url)
        await asyncio.gather(*(renderer.render(html) for _ in range(workers)))

        bare: list[float] = []
        same_options: list[float] = []
        pooled: list[float] = []
        for _ in range(runs):
            start = time.perf_counter()
            weasyprint.HTML(string=html).write_pdf()
            bare.append(time.perf_counter() - start)

            start = time.perf_counter()
            pdf = render_html_to_pdf(html, renderer.base_url)
            same_options.append(time.perf_counter() - start)

            start = time.perf_counter()
            await renderer.render(html)
            pooled.append(time.perf_counter() - start)
    finally:
        renderer.shutdown()
    return {
        "runs": runs,
        "pages": len(pypdf.PdfReader(BytesIO(pdf)).pages),
        "pdf_kib": round(len(pdf) / 1024),
        "html_kib": round(len(html.encode()) / 1024),
        "bare_ms": round(_ms(bare), 1),
        "bare_renderer_options_ms": round(_ms(same_options), 1),
        "pool_ms": round(_ms(pooled), 1),
        "pool_vs_bare": round(_ms(pooled) / _ms(bare), 3),
        "pool_vs_bare_renderer_options": round(_ms(pooled) / _ms(same_options), 3),
        "all_ms": {
            "bare": [round(s * 1000) for s in bare],
            "bare_renderer_options": [round(s * 1000) for s in same_options],
            "pool": [round(s * 1000) for s in pooled],
        },
    }


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages (Pango, fonts, Python) split between the processes
    that share them, so a sum over processes is what the machine really spends."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(match[1]) if match else 0


async def measure_memory(html: str, burst: int, workers: int) -> dict[str, Any]:
    """Run in a fresh process: peak memory of this process and its workers during a burst."""
    me = os.getpid()
    parent_before_mb = _status_kib(me, "VmRSS") / 1024
    renderer = PdfRenderer(max_workers=workers)
    warm = '<html lang="en"><title>warm</title><p>warm</p></html>'
    try:
        await asyncio.gather(*(renderer.render(warm) for _ in range(workers)))
        idle_mb = sum(_status_kib(pid, "VmRSS") for pid in [me, *renderer.worker_pids()]) / 1024
        peak_rss_kib = peak_pss_kib = 0
        done = asyncio.Event()

        async def sample() -> None:
            nonlocal peak_rss_kib, peak_pss_kib
            while not done.is_set():
                pids = [me, *renderer.worker_pids()]
                peak_rss_kib = max(peak_rss_kib, sum(_status_kib(pid, "VmRSS") for pid in pids))
                peak_pss_kib = max(peak_pss_kib, sum(_pss_kib(pid) for pid in pids))
                await asyncio.sleep(0.01)

        sampler = asyncio.create_task(sample())
        start = time.perf_counter()
        pdfs = await asyncio.gather(*(renderer.render(html) for _ in range(burst)))
        elapsed = time.perf_counter() - start
        done.set()
        await sampler
        assert all(pdf.startswith(b"%PDF-") for pdf in pdfs)
        # VmHWM is each process's own high-water mark, so nothing between samples is missed;
        # their sum is an upper bound on the peak of the total.
        hwm = {"parent": _status_kib(me, "VmHWM") / 1024}
        for i, pid in enumerate(renderer.worker_pids()):
            hwm[f"worker{i + 1}"] = _status_kib(pid, "VmHWM") / 1024
    finally:
        renderer.shutdown()
    return {
        "burst": burst,
        "workers": workers,
        "burst_seconds": round(elapsed, 2),
        "parent_before_renderer_mb": round(parent_before_mb, 1),
        "idle_rss_total_mb": round(idle_mb, 1),
        "peak_rss_total_sampled_mb": round(peak_rss_kib / 1024, 1),
        "peak_pss_total_sampled_mb": round(peak_pss_kib / 1024, 1),
        "peak_hwm_mb": {name: round(mb, 1) for name, mb in hwm.items()},
        "peak_hwm_sum_mb": round(sum(hwm.values()), 1),
    }


def machine() -> dict[str, Any]:
    models = [ln for ln in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in ln]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": models[0].split(":", 1)[1].strip() if models else platform.processor(),
        "memory_gib": round(int(Path("/proc/meminfo").read_text().split()[1]) / 2**20, 1),
        "python": platform.python_version(),
        "weasyprint": importlib.metadata.version("weasyprint"),
        "load_average_1m_at_start": os.getloadavg()[0],
    }


def report(info: dict[str, Any], speed: dict[str, Any], memory: dict[str, Any]) -> None:
    table = Table(
        title=f"Pathway plan PDF ({speed['pages']} pages, {speed['pdf_kib']} KiB), "
        f"median of {speed['runs']} runs",
    )
    table.add_column("how")
    table.add_column("median ms", justify="right")
    table.add_column("vs bare", justify="right")
    table.add_row("(a) bare HTML(string).write_pdf()", f"{speed['bare_ms']:.0f}", "1.00")
    table.add_row(
        "(a') bare render_html_to_pdf (PDF/UA, fetcher)",
        f"{speed['bare_renderer_options_ms']:.0f}",
        f"{speed['bare_renderer_options_ms'] / speed['bare_ms']:.2f}",
    )
    table.add_row(
        f"(b) PdfRenderer.render ({memory['workers']} workers)",
        f"{speed['pool_ms']:.0f}",
        f"{speed['pool_vs_bare']:.2f}",
    )
    console.print(table)
    verdict = "ok" if speed["pool_vs_bare"] <= TARGET_RATIO else "OVER TARGET"
    console.print(
        f"(b)/(a) = {speed['pool_vs_bare']:.2f} (target <= {TARGET_RATIO}: {verdict}); "
        f"(b)/(a') = {speed['pool_vs_bare_renderer_options']:.2f}, the cost of the process hop alone"
    )
    mem_verdict = "ok" if memory["peak_hwm_sum_mb"] < TARGET_MB else "OVER TARGET"
    console.print(
        f"(c) {memory['burst']} renders at once took {memory['burst_seconds']} s. Peak RSS of "
        f"parent + {memory['workers']} workers: {memory['peak_hwm_sum_mb']} MB by high-water "
        f"marks {memory['peak_hwm_mb']} ({memory['peak_rss_total_sampled_mb']} MB sampled; "
        f"target < {TARGET_MB} MB: {mem_verdict}); PSS (shared pages counted once): "
        f"{memory['peak_pss_total_sampled_mb']} MB; idle RSS {memory['idle_rss_total_mb']} MB; "
        f"parent before the renderer {memory['parent_before_renderer_mb']} MB"
    )
    console.print(f"machine: {info}")
    console.print_json(json.dumps({"machine": info, "speed": speed, "memory": memory}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    html = plan_html(realistic_context())

    if args.memory_only:
        print(json.dumps(asyncio.run(measure_memory(html, args.burst, args.workers))))
        return

    info = machine()
    with console.status("(c) memory during a burst, in a fresh process"):
        # Started with -c, not -m: multiprocessing's spawn re-imports the parent's main module in
        # every worker, and this module's imports (rich, pypdf, the test data) are not the
        # renderer's. See the caveat in bench/README.md about `portal serve`.
        code = f"from bench.pdf import main; main(['--memory-only', '--burst={args.burst}', '--workers={args.workers}'])"
        child = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
        )
        memory = json.loads(child.stdout.strip().splitlines()[-1])
    with console.status(f"(a) and (b): {args.runs} runs each, interleaved"):
        speed = asyncio.run(measure_speed(html, args.runs, args.workers))
    report(info, speed, memory)


if __name__ == "__main__":
    main()
