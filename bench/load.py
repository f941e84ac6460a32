"""Load and soak: young people and staff using the portal at once, through two uvicorn workers on
PostgreSQL and Redis, driven by Locust.

    uv run --group bench python -m bench.load [--users 220] [--minutes 5]
    uv run --group bench python -m bench.load --minutes 30 --soak

1. Seeds a synthetic council (bench/synthetic.py) the way bench/reports.py does: a fresh database
   ``portal_load_<mode>``, ``portal migrate``, ``portal create-org``, an account for every personal
   adviser in the file, ``portal import``; then an account for each simulated young person, all
   on the caseloads of the simulated advisers.
2. Starts ``portal serve --workers 2`` (production settings, ``PORTAL_REDIS_URL``) and one
   ``portal worker`` (the notification outbox, recording notifier), each in its own process group.
3. Runs Locust headless in a child process (``--child``: Locust monkey-patches the process that
   imports it, so only the child does), with 10 young people for every member of staff.
4. Meanwhile samples every ``--sample-seconds``: each process's resident memory (VmRSS) and the CPU
   used by the API, PostgreSQL, the load generator and the rest of the machine.
5. Prints the error rate, p50/p95/p99 of reads and of sends separately (for the whole run and
   after the warm-up, i.e. without the sign-in ramp), req/s, the CPU split and, per process,
   start/end/peak RSS and the slope after warm-up; writes ``bench/results/load-<date>-<mode>.json``
   and the server log beside it; stops everything; drops the database.

See bench/README.md ("Load and soak").
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg  # type: ignore[import-untyped,unused-ignore]

from bench import reports, synthetic
from bench.api import RESULTS, _busy_ticks, free_port, machine, stop_server, wait_ready
from portal_api.people.legal_status import add_years

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
ORG, PASSWORD = reports.ORG, reports.PASSWORD
STAFF_SHARE = 11  # one member of staff for every ten young people: 220 users, 20 staff
# Request names in Locust's statistics, by what the targets say about them.
SENDS = ("send message", "send message (retry)", "reply")
TARGETS = {"error_rate_percent": 0.1, "read_p95_ms": 300, "send_p95_ms": 500}
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- seeding ----------------------------------------------------------------------------------


def database_url(name: str) -> str:
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


async def _recreate(name: str, *, drop_only: bool = False) -> None:
    admin = await asyncpg.connect(PG_ADMIN_DSN, timeout=10)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def _choose(path: Path, advisers: list[str], count: int, on: date) -> list[str]:
    """External ids of ``count`` young people aged 16+ with open records, spread over the
    caseloads of ``advisers`` (round robin), so that their advisers are the simulated staff."""
    by_adviser: dict[str, list[str]] = {email: [] for email in advisers}
    sixteen = add_years(on, -16).isoformat()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            email = record.get("personal_adviser_email")
            if (
                email in by_adviser
                and not record["closed_on"]
                and record["date_of_birth"] <= sixteen
            ):
                by_adviser[email].append(record["external_id"])
    chosen = [
        ext
        for group in itertools.zip_longest(*by_adviser.values())
        for ext in group
        if ext is not None
    ][:count]
    if len(chosen) < count:
        raise SystemExit(
            f"only {len(chosen)} young people aged 16+ on {len(advisers)} caseloads; "
            "raise --council"
        )
    return chosen


def _young_person_email(external_id: str) -> str:
    return f"{external_id.lower()}@young.bench.example"


def _create_young_people(external_ids: list[str]) -> float:
    """``portal create-user --role young_person`` for each, in this process (as bench.reports
    creates staff: a process per account would spend most of its time starting Python)."""
    from typer.testing import CliRunner

    from portal_api import cli

    runner, started = CliRunner(), time.perf_counter()
    for external_id in external_ids:
        args = ["create-user", "--org", ORG, "--role", "young_person"]
        args += ["--email", _young_person_email(external_id), "--password", PASSWORD]
        args += ["--name", external_id, "--young-person", external_id]
        result = runner.invoke(cli.app, args)
        if result.exit_code != 0:
            raise SystemExit(f"create-user {external_id} failed: {result.output}")
    return time.perf_counter() - started


def seed(db: str, args: argparse.Namespace, workdir: Path) -> tuple[list[str], list[str]]:
    """A fresh, migrated council; returns (staff emails, young people's emails) to sign in as."""
    from portal_api.common.time import today
    from portal_api.config import get_settings

    get_settings.cache_clear()  # the environment now names the load database
    staff_count = max(1, round(args.users / STAFF_SHARE))
    young_count = args.users - staff_count
    path = workdir / "council.jsonl"
    synthetic.main(
        ["--young-people", str(args.council), "--seed", str(args.seed), "--out", str(path)]
    )
    _, advisers = synthetic.advisers_for(args.council)
    if len(advisers) < staff_count:
        raise SystemExit(
            f"{args.council} young people have {len(advisers)} advisers; raise --council"
        )
    staff = [email for email, _team in advisers[:staff_count]]
    asyncio.run(_recreate(db))
    reports._portal("migrate")
    reports._portal("create-org", ORG, "Load Borough Council")
    print(
        f"created {len(advisers) + 1} staff accounts in {reports._create_accounts(advisers):.0f} s"
    )
    print(
        f"imported {args.council} young people in {reports._portal('import', str(path), '--org', ORG):.0f} s"
    )
    chosen = _choose(path, staff, young_count, today())
    print(f"created {len(chosen)} young people's accounts in {_create_young_people(chosen):.0f} s")
    return staff, [_young_person_email(ext) for ext in chosen]


# --- processes: start, find, measure -----------------------------------------------------------


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in its own group (so it and its children can be told apart and stopped)."""
    with log.open("wb") as out:  # a file, not a pipe: the access log must never block the server
        return subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=out, start_new_session=True
        )


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgid: int
    comm: str
    ticks: int  # utime + stime
    rss_kib: int
    cmdline: str


def processes() -> dict[int, Proc]:
    found: dict[int, Proc] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            head, tail = (entry / "stat").read_text().rsplit(")", 1)
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue  # the process has gone
        fields = tail.split()
        rss = next((int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:")), 0)
        found[int(entry.name)] = Proc(
            pid=int(entry.name),
            ppid=int(fields[1]),
            pgid=int(fields[2]),
            comm=head.split("(", 1)[1],
            ticks=int(fields[11]) + int(fields[12]),
            rss_kib=rss,
            cmdline=cmdline,
        )
    return found


def roles(
    procs: dict[int, Proc], api_pgid: int, outbox_pgid: int, loadgen_pgid: int
) -> dict[int, str]:
    """Name each process that matters: the uvicorn supervisor, each API worker (its children under
    the supervisor), each worker's PDF renderers, the outbox worker, PostgreSQL, the load generator."""
    named: dict[int, str] = {}
    supervisor = next(
        (
            p.pid
            for p in procs.values()
            if p.pgid == api_pgid
            and " serve " in f"{p.cmdline} "
            and "spawn_main" not in p.cmdline
            and p.comm != "uv"
        ),
        None,
    )
    workers = sorted(
        p.pid for p in procs.values() if p.ppid == supervisor and "spawn_main" in p.cmdline
    )
    for n, pid in enumerate(workers, 1):
        named[pid] = f"api worker {n}"
    groups = {api_pgid: "api", outbox_pgid: "outbox worker", loadgen_pgid: "load generator"}
    for p in procs.values():
        if p.pid in named:
            continue
        if p.ppid in workers:
            named[p.pid] = f"pdf renderer of {named[p.ppid]}"
        elif p.pid == supervisor:
            named[p.pid] = "uvicorn supervisor"
        elif p.pgid in groups and p.comm == "uv":
            named[p.pid] = f"{groups[p.pgid]} (uv)"  # `uv run`, waiting for its child
        elif p.pgid == api_pgid:
            named[p.pid] = "api (resource tracker)"
        elif p.pgid in groups:
            named[p.pid] = groups[p.pgid]
        elif p.comm == "postgres":
            named[p.pid] = "postgres"
        elif p.pid == os.getpid():
            named[p.pid] = "orchestrator"
    return named


CPU_PARTS = ("api", "postgres", "load generator", "outbox worker", "orchestrator", "rest")


def cpu_part(role: str | None) -> str:
    if role is None:
        return "rest"
    if role.startswith(("api", "pdf", "uvicorn")):
        return "api"
    if role.startswith("outbox"):
        return "outbox worker"
    if role.startswith("load generator"):
        return "load generator"
    return role if role in CPU_PARTS else "rest"


@dataclass
class Sampler:
    """At each call: the RSS of each named process, and the cores each part of the machine used
    since the previous call."""

    api_pgid: int
    outbox_pgid: int
    loadgen_pgid: int
    samples: list[dict[str, Any]] = field(default_factory=list)
    _ticks: dict[int, tuple[str, int]] = field(default_factory=dict)
    _busy: int = 0
    _at: float = 0.0
    _first: float = 0.0

    def sample(self) -> dict[str, Any]:
        procs, busy, now = processes(), _busy_ticks(), time.monotonic()
        named = roles(procs, self.api_pgid, self.outbox_pgid, self.loadgen_pgid)
        ticks = {pid: (cpu_part(named.get(pid)), p.ticks) for pid, p in procs.items()}
        sample: dict[str, Any] = {
            "t": 0.0 if not self._first else round(now - self._first, 1),
            "rss_mib": {
                f"{role} ({pid})": round(procs[pid].rss_kib / 1024, 1)
                for pid, role in sorted(named.items(), key=lambda kv: kv[1])
                if role != "postgres" and not role.endswith("(uv)")
            },
            "load_average": os.getloadavg()[0],
        }
        if self._first:
            used = dict.fromkeys(CPU_PARTS, 0.0)
            for pid, (part, n) in ticks.items():
                before = self._ticks[pid][1] if pid in self._ticks else 0  # new: all its ticks
                if part != "rest":
                    used[part] += max(0, n - before)
            seconds = now - self._at
            cores = {part: ticks_ / CLK_TCK / seconds for part, ticks_ in used.items()}
            cores["rest"] = max(0.0, (busy - self._busy) / CLK_TCK / seconds - sum(cores.values()))
            sample["cores"] = {part: round(value, 2) for part, value in cores.items()}
        else:
            self._first = now
        self._ticks, self._busy, self._at = ticks, busy, now
        self.samples.append(sample)
        return sample


def rss_summary(samples: list[dict[str, Any]], warmup: float) -> dict[str, dict[str, float]]:
    """Per process: first, after warm-up, last and peak RSS (MiB), the least-squares slope of the
    samples after warm-up (MiB per hour), and the growth over the second half of those samples
    (a warm-up still going on slows down; a leak does not)."""
    series: dict[str, list[tuple[float, float]]] = {}
    for sample in samples:
        for name, mib in sample["rss_mib"].items():
            series.setdefault(name, []).append((sample["t"], mib))
    summary = {}
    for name, points in series.items():
        after = [(t, m) for t, m in points if t >= warmup] or points[-1:]
        n = len(after)
        mean_t, mean_m = sum(t for t, _ in after) / n, sum(m for _, m in after) / n
        spread = sum((t - mean_t) ** 2 for t, _ in after)
        slope = sum((t - mean_t) * (m - mean_m) for t, m in after) / spread if spread else 0.0
        summary[name] = {
            "start": points[0][1],
            "after_warmup": after[0][1],
            "end": points[-1][1],
            "peak": max(m for _, m in points),
            "peak_after_warmup": max(m for _, m in after),
            "slope_mib_per_hour": round(slope * 3600, 2),
            "growth_second_half": round(after[-1][1] - after[n // 2][1], 1),
            "samples_after_warmup": n,
            "first_t": points[0][0],
            "last_t": points[-1][0],
        }
    return summary


# --- the load generator (child process: Locust) ------------------------------------------------


def percentile(histogram: dict[int, int], q: float) -> float:
    """The q-quantile of Locust's response-time histogram (ms to count)."""
    total = sum(histogram.values())
    if not total:
        return 0.0
    rank, seen = q * total, 0
    for ms in sorted(histogram):
        seen += histogram[ms]
        if seen >= rank:
            return float(ms)
    return float(max(histogram))


def category(name: str) -> str:
    if name in SENDS:
        return "sends"
    if name == "plan PDF":
        return "plan PDF"
    if name == "login":
        return "login"
    return "reads"


def _merge(entries: list[Any]) -> tuple[int, int, dict[int, int]]:
    """Requests, failures and the merged response-time histogram of some Locust stats entries."""
    histogram: dict[int, int] = {}
    for entry in entries:
        for ms, count in entry.response_times.items():
            histogram[ms] = histogram.get(ms, 0) + count
    return (
        sum(e.num_requests for e in entries),
        sum(e.num_failures for e in entries),
        histogram,
    )


def _figures(
    requests: int, failures: int, histogram: dict[int, int], seconds: float
) -> dict[str, float]:
    return {
        "requests": requests,
        "failures": failures,
        "error_rate_percent": round(100 * failures / requests, 4) if requests else 0.0,
        "rps": round(requests / seconds, 2) if seconds else 0.0,
        "p50_ms": percentile(histogram, 0.50),
        "p95_ms": percentile(histogram, 0.95),
        "p99_ms": percentile(histogram, 0.99),
        "max_ms": float(max(histogram)) if histogram else 0.0,
    }


def _user_classes(config: dict[str, Any]) -> list[Any]:
    """The two kinds of user, made here because Locust may only be imported in the child."""
    from locust import between  # type: ignore[import-not-found,unused-ignore]
    from locust.contrib.fasthttp import FastHttpUser  # type: ignore[import-not-found,unused-ignore]
    from locust.exception import StopUser  # type: ignore[import-not-found,unused-ignore]

    young_accounts: Iterator[str] = iter(config["young_people"])
    staff_accounts: Iterator[str] = iter(config["staff"])
    rng = random.Random(config["seed"])
    me = "/api/v1/young-people/me"
    words = (
        "Are we still meeting on Tuesday?",
        "I got the letter about my NI number, what do I do with it?",
        "Can you ring me after 3",
        "Thanks, that helps a lot",
        "My college bursary hasn't come through yet",
    )

    def sign_in(user: Any, email: str) -> None:
        body = urlencode({"username": email, "password": config["password"]})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        with user.client.post(
            "/api/v1/auth/login", data=body, headers=headers, name="login", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"login {response.status_code}")
                raise StopUser()
            user.client.auth_header = f"Bearer {response.json()['access_token']}"

    def send(user: Any, path: str, name: str) -> None:
        key = uuid.uuid4().hex
        body = {"body": rng.choice(words)}
        with user.client.post(
            path, json=body, headers={"Idempotency-Key": key}, name=name, catch_response=True
        ) as response:
            if response.status_code != 201:
                # Status 0 is a transport error: say which (a connection the server had closed?).
                why = response.error if response.status_code == 0 else response.status_code
                response.failure(f"{name}: {why!r}")
                return
        if name == "send message" and rng.random() < 0.1:
            # The phone lost the answer and retries: the same key must give the same message.
            with user.client.post(
                path,
                json=body,
                headers={"Idempotency-Key": key},
                name="send message (retry)",
                catch_response=True,
            ) as retry:
                if retry.status_code != 201 or retry.headers.get("Idempotent-Replayed") != "true":
                    retry.failure(
                        f"retry: {retry.status_code} replayed={retry.headers.get('Idempotent-Replayed')}"
                    )

    # A young person: the home screen most, then the rest of the app; a message now and then.
    def young_start(user: Any) -> None:
        user.plan_version = None
        sign_in(user, next(young_accounts))

    def summary(user: Any) -> None:
        user.client.get(f"{me}/summary", name="summary")

    def local_offer(user: Any) -> None:
        user.client.get("/api/v1/local-offer", name="local offer")

    def plan(user: Any) -> None:
        with user.client.get(f"{me}/plan", name="plan", catch_response=True) as response:
            if response.status_code == 200:
                current = response.json().get("current")
                user.plan_version = current["number"] if current else None

    def plan_pdf(user: Any) -> None:
        if user.plan_version is None:
            plan(user)  # they open the plan first
        if user.plan_version is not None:
            user.client.get(f"{me}/plan/versions/{user.plan_version}/pdf", name="plan PDF")

    def documents(user: Any) -> None:
        user.client.get(f"{me}/documents", name="documents")

    def messages(user: Any) -> None:
        user.client.get(f"{me}/messages?limit=50", name="messages")

    def send_message(user: Any) -> None:
        send(user, f"{me}/messages", "send message")

    # A personal adviser: their caseload, a record, the conversation and a reply; the figures.
    def staff_start(user: Any) -> None:
        user.caseload = []
        sign_in(user, next(staff_accounts))
        caseload(user)

    def caseload(user: Any) -> None:
        with user.client.get(
            "/api/v1/young-people?adviser=me&limit=50", name="caseload", catch_response=True
        ) as response:
            if response.status_code == 200:
                user.caseload = [item["id"] for item in response.json()["items"]]

    def record(user: Any) -> None:
        if user.caseload:
            person = rng.choice(user.caseload)
            user.client.get(f"/api/v1/young-people/{person}", name="young person record")

    def reply(user: Any) -> None:
        if user.caseload:
            path = f"/api/v1/young-people/{rng.choice(user.caseload)}/messages"
            user.client.get(f"{path}?limit=50", name="messages (staff)")
            send(user, path, "reply")

    def overview(user: Any) -> None:
        user.client.get("/api/v1/reports/overview", name="reports overview")

    wait = between(*config["wait_seconds"])
    common = {"wait_time": wait, "network_timeout": 60.0, "connection_timeout": 60.0}
    young = type(
        "YoungPerson",
        (FastHttpUser,),
        {
            **common,
            "fixed_count": len(config["young_people"]),
            "on_start": young_start,
            "tasks": {
                summary: 20,
                local_offer: 8,
                plan: 8,
                documents: 6,
                messages: 10,
                send_message: 4,
                plan_pdf: config["pdf_weight"],
            },
        },
    )
    staff = type(
        "Staff",
        (FastHttpUser,),
        {
            **common,
            "fixed_count": len(config["staff"]),
            "on_start": staff_start,
            "tasks": {caseload: 4, record: 6, reply: 4, overview: 1},
        },
    )
    return [young, staff]


def child(config_path: Path) -> None:
    """Run Locust headless for the configured time; write its figures as JSON."""
    from locust.env import Environment  # type: ignore[import-not-found,unused-ignore]

    config = json.loads(config_path.read_text(encoding="utf-8"))
    env = Environment(user_classes=_user_classes(config), host=config["host"])
    runner = env.create_local_runner()
    users = len(config["young_people"]) + len(config["staff"])
    started, started_cpu = time.monotonic(), time.process_time()
    runner.start(users, spawn_rate=config["spawn_rate"])
    windows: list[dict[str, Any]] = []
    previous: dict[str, tuple[int, int, dict[int, int]]] = {}
    end = started + config["seconds"]
    while (now := time.monotonic()) < end:
        time.sleep(min(config["sample_seconds"], end - now))  # gevent's sleep: users keep running
        window: dict[str, Any] = {
            "t": round(time.monotonic() - started, 1),
            "users": runner.user_count,
        }
        for kind in ("reads", "sends"):
            requests, failures, histogram = _merge(
                [e for (name, _), e in env.stats.entries.items() if category(name) == kind]
            )
            before = previous.get(kind, (0, 0, {}))
            delta = {ms: n - before[2].get(ms, 0) for ms, n in histogram.items()}
            window[kind] = _figures(
                requests - before[0],
                failures - before[1],
                {ms: n for ms, n in delta.items() if n},
                window["t"] - (windows[-1]["t"] if windows else 0.0),
            )
            window.setdefault("histograms", {})[kind] = {ms: n for ms, n in delta.items() if n}
            previous[kind] = (requests, failures, histogram)
        windows.append(window)
        print(json.dumps({k: v for k, v in window.items() if k != "histograms"}), flush=True)
    runner.quit()
    seconds = time.monotonic() - started
    by_name = {name: e for (name, _), e in env.stats.entries.items()}
    result: dict[str, Any] = {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(time.process_time() - started_cpu, 1),
        "by_name": {name: _figures(*_merge([e]), seconds) for name, e in sorted(by_name.items())},
        "by_kind": {
            kind: _figures(
                *_merge([e for name, e in by_name.items() if category(name) == kind]), seconds
            )
            for kind in ("reads", "sends", "plan PDF", "login")
        },
        "all": _figures(*_merge(list(by_name.values())), seconds),
        "errors": [
            {
                "name": e.name,
                "method": e.method,
                "error": str(e.error),
                "occurrences": e.occurrences,
            }
            for e in env.stats.errors.values()
        ],
        "windows": windows,
    }
    Path(config["out"]).write_text(json.dumps(result, indent=2), encoding="utf-8")


# --- the run -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def after_warmup(result: dict[str, Any], warmup: float) -> dict[str, dict[str, float]]:
    """Reads and sends over the sampling windows that began at or after ``warmup`` seconds: the
    steady state, without the sign-in ramp (every user signs in at the start)."""
    steady: dict[str, dict[str, float]] = {}
    windows = result["windows"]
    starts = [0.0] + [w["t"] for w in windows[:-1]]
    kept = [w for w, start in zip(windows, starts, strict=True) if start >= warmup]
    seconds = sum(
        w["t"] - start for w, start in zip(windows, starts, strict=True) if start >= warmup
    )
    for kind in ("reads", "sends"):
        histogram: dict[int, int] = {}
        for window in kept:
            for ms, n in window.get("histograms", {}).get(kind, {}).items():
                histogram[int(ms)] = histogram.get(int(ms), 0) + n
        steady[kind] = _figures(
            sum(w[kind]["requests"] for w in kept),
            sum(w[kind]["failures"] for w in kept),
            histogram,
            seconds,
        )
    return steady


def report(
    result: dict[str, Any], rss: dict[str, dict[str, float]], args: argparse.Namespace
) -> list[str]:
    lines = []
    every = result["all"]
    lines.append(
        f"{every['requests']} requests in {result['seconds']:.0f} s: {every['rps']:.1f} req/s, "
        f"{every['failures']} failed ({every['error_rate_percent']:.3f} %)"
    )
    lines.append(
        f"{'request':<24} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}  ms"
    )
    rows = [*result["by_kind"].items(), ("", None), *result["by_name"].items()]
    for name, f in rows:
        if f is None:
            lines.append("")
            continue
        lines.append(
            f"{name:<24} {f['requests']:>7} {f['failures']:>5} {f['rps']:>7.1f} {f['p50_ms']:>6.0f} "
            f"{f['p95_ms']:>6.0f} {f['p99_ms']:>6.0f} {f['max_ms']:>7.0f}"
        )
    for error in result["errors"]:
        lines.append(
            f"error: {error['method']} {error['name']}: {error['error']} x{error['occurrences']}"
        )
    steady = result["after_warmup"]
    lines.append(f"after warm-up ({args.warmup_minutes:g} min, sign-ins done):")
    for kind in ("reads", "sends"):
        f = steady[kind]
        lines.append(
            f"{kind:<24} {f['requests']:>7} {f['failures']:>5} {f['rps']:>7.1f} {f['p50_ms']:>6.0f} "
            f"{f['p95_ms']:>6.0f} {f['p99_ms']:>6.0f} {f['max_ms']:>7.0f}"
        )
    reads, sends = result["by_kind"]["reads"], result["by_kind"]["sends"]
    lines.append(
        f"target error rate < {TARGETS['error_rate_percent']} %: {every['error_rate_percent']:.3f} % "
        f"{verdict(every['error_rate_percent'] < TARGETS['error_rate_percent'])}"
    )
    for kind, target, whole in (("reads", "read_p95_ms", reads), ("sends", "send_p95_ms", sends)):
        lines.append(
            f"target {kind} p95 < {TARGETS[target]} ms: whole run {whole['p95_ms']:.0f} ms "
            f"{verdict(whole['p95_ms'] < TARGETS[target])}; after warm-up "
            f"{steady[kind]['p95_ms']:.0f} ms {verdict(steady[kind]['p95_ms'] < TARGETS[target])}"
        )
    cores = result["cores"]
    lines.append(
        "cores used on average: "
        + ", ".join(f"{part} {cores[part]:.2f}" for part in CPU_PARTS)
        + f" (load generator's own count: {result['cpu_seconds'] / result['seconds']:.2f})"
    )
    lines.append(
        f"resident memory (MiB; warm-up {args.warmup_minutes:g} min; slope after warm-up):"
    )
    for name, r in sorted(rss.items()):
        lines.append(
            f"  {name:<40} start {r['start']:>6.1f}  after warm-up {r['after_warmup']:>6.1f}  "
            f"end {r['end']:>6.1f}  peak {r['peak']:>6.1f}  slope {r['slope_mib_per_hour']:>+7.2f} MiB/h"
            f"  second half {r['growth_second_half']:>+5.1f}"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, default=220, help="young people and staff (10:1)")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--soak", action="store_true", help="a lower rate (wait 10-20 s)")
    parser.add_argument(
        "--wait",
        type=float,
        nargs=2,
        metavar=("MIN", "MAX"),
        default=None,
        help="seconds between one user's actions (default 1 4; soak 10 20)",
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers")
    parser.add_argument("--council", type=int, default=2000, help="young people in the council")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="users started per second")
    parser.add_argument("--pdf-weight", type=int, default=1, help="of 57 young person's actions")
    parser.add_argument("--sample-seconds", type=float, default=30.0)
    parser.add_argument(
        "--warmup-minutes",
        type=float,
        default=None,
        help="RSS slope ignores samples before this (default: 2; soak 5)",
    )
    parser.add_argument(
        "--loadgen-env",
        type=Path,
        default=None,
        help="a separate virtualenv for Locust (UV_PROJECT_ENVIRONMENT of the child)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return
    mode = "soak" if args.soak else "load"
    args.wait = args.wait or ([10.0, 20.0] if args.soak else [1.0, 4.0])
    if args.warmup_minutes is None:
        args.warmup_minutes = 5.0 if args.soak else 2.0
    db = f"portal_load_{mode}"
    info = machine() | {
        "nproc": os.cpu_count(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(f"machine: {info}")
    workdir = Path(tempfile.mkdtemp(prefix=f"portal-load-{mode}-"))
    env = os.environ | {
        "PORTAL_DATABASE_URL": database_url(db),
        "PORTAL_ENVIRONMENT": "production",
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(48),
        "PORTAL_REDIS_URL": os.environ.get("PORTAL_REDIS_URL", REDIS_URL),
        "PORTAL_NOTIFIER": "recording",
        "PORTAL_WORKER_IN_PROCESS": "false",
    }
    os.environ.update({k: env[k] for k in env if k.startswith("PORTAL_")})
    running: list[subprocess.Popen[bytes]] = []
    try:
        seeding = time.perf_counter()
        staff, young = seed(db, args, workdir)
        print(f"seeded {db} in {time.perf_counter() - seeding:.0f} s")
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        serve = [
            "uv",
            "run",
            "portal",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ]
        api = start(serve, env, workdir / "api.log")
        running.append(api)
        outbox = start(["uv", "run", "portal", "worker"], env, workdir / "worker.log")
        running.append(outbox)
        wait_ready(api, host, workdir / "api.log")
        config = {
            "host": host,
            "young_people": young,
            "staff": staff,
            "password": PASSWORD,
            "seed": args.seed,
            "spawn_rate": args.spawn_rate,
            "seconds": args.minutes * 60,
            "wait_seconds": args.wait,
            "pdf_weight": args.pdf_weight,
            "sample_seconds": args.sample_seconds,
            "out": str(workdir / "locust.json"),
        }
        (workdir / "config.json").write_text(json.dumps(config), encoding="utf-8")
        child_env = env | (
            {"UV_PROJECT_ENVIRONMENT": str(args.loadgen_env)} if args.loadgen_env else {}
        )
        # Locust first, so that gevent patches the standard library before anything imports it.
        boot = "import locust, sys; from bench.load import main; main(sys.argv[1:])"
        command = [
            "uv",
            "run",
            "--group",
            "bench",
            "python",
            "-c",
            boot,
            "--child",
            str(workdir / "config.json"),
        ]
        print(
            f"load: {len(young)} young people + {len(staff)} staff, wait {args.wait[0]:g}-{args.wait[1]:g} s, "
            f"{args.minutes:g} min, {args.workers} API workers at {host}"
        )
        loadgen = start(command, child_env, workdir / "locust.log")
        running.append(loadgen)
        sampler = Sampler(api.pid, outbox.pid, loadgen.pid)
        sampler.sample()
        next_at = time.monotonic() + args.sample_seconds
        while loadgen.poll() is None:
            time.sleep(max(0.0, min(1.0, next_at - time.monotonic())))
            if time.monotonic() >= next_at:
                s = sampler.sample()
                workers = {
                    k.split(" (")[0]: v
                    for k, v in s["rss_mib"].items()
                    if k.startswith("api worker")
                }
                print(
                    f"t={s['t']:>6.0f}s rss {workers} cores {s.get('cores')} load {s['load_average']:.1f}",
                    flush=True,
                )
                next_at += args.sample_seconds
        final = sampler.sample()
        if loadgen.returncode != 0 or not (workdir / "locust.json").exists():
            raise SystemExit(
                f"the load generator failed:\n{(workdir / 'locust.log').read_text()[-5000:]}"
            )
        result = json.loads((workdir / "locust.json").read_text(encoding="utf-8"))
        measured = [s for s in sampler.samples if "cores" in s]
        result["cores"] = {
            part: round(sum(s["cores"][part] for s in measured) / max(1, len(measured)), 2)
            for part in CPU_PARTS
        }
        rss = rss_summary(sampler.samples, args.warmup_minutes * 60)
        result["after_warmup"] = after_warmup(result, args.warmup_minutes * 60)
        lines = report(result, rss, args)
        print("\n".join(lines))
        log_lines = (workdir / "api.log").read_text(errors="replace").splitlines()
        errors_in_log = {
            "500 responses": sum('" 500' in line for line in log_lines),
            "tracebacks": sum(line.startswith("Traceback") for line in log_lines),
            "workers restarted": sum("died" in line for line in log_lines),
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"load-{datetime.now(UTC):%Y-%m-%d-%H%M}-{mode}.json"
        shutil.copy(workdir / "api.log", out.with_suffix(".api.log"))
        print(f"server log ({out.with_suffix('.api.log').relative_to(REPO)}): {errors_in_log}")
        payload = {
            "command": " ".join(
                ["python -m bench.load", *(argv if argv is not None else sys.argv[1:])]
            ),
            "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "machine": info,
            "result": result,
            "rss": rss,
            "samples": sampler.samples,
            "final_sample": final,
            "server_log_errors": errors_in_log,
        }
        out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(REPO)}")
    finally:
        for process in reversed(running):
            stop_server(process)
        if not args.keep:
            asyncio.run(_recreate(db, drop_only=True))
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
