#!/usr/bin/python3
"""Slow-body clients against a Wharf on loopback, and the latency of conda GETs while they are open.

  slow_clients.py run --port P --connections N --hold S --requests K PATH...
      measures K sequential GETs of each PATH while idle, then while N slow clients are connected, then
      idle again after they stopped, and prints the three as a Markdown table.
  slow_clients.py hold --port P --connections N --hold S
      only the slow clients (used by "run" as a separate process, so that both sides have a core).
  slow_clients.py package DIR
      writes a small noarch package (slow-bench-1.0-0.tar.bz2, about 100 KiB of payload) into DIR.

A slow client sends a request head that announces a 1,000,000-byte body, then one byte per second, to a
route that refuses it: an anonymous package upload (even clients), or a GET with a body of a channel that
does not exist (odd clients). It reads whatever the server answers but does not stop sending for it; at
its first tick after the server has closed the connection, the client connects again (after
--retry-pause more seconds), so N connections stay open on the client's side, as an attacker would keep
them. The slow clients run at a lower CPU priority (--nice): on a small machine shared by server and
clients, their own CPU use would otherwise count against the server. Only loopback is targeted; every
phase has a deadline, so the script always stops.
"""
import argparse
import asyncio
import http.client
import io
import json
import math
import os
import signal
import subprocess
import sys
import tarfile
import time

HOST = "127.0.0.1"  # loopback only, never anything else
BODY_LENGTH = 1_000_000


def slow_request(kind):
    if kind == 0:
        head = ("PUT /api/channels/pub/files/x-1.0-0.conda HTTP/1.1\r\n"
                "Content-Type: application/octet-stream\r\n")
    else:
        head = "GET /api/channels/nosuch HTTP/1.1\r\nContent-Type: application/json\r\n"
    return (head + f"Host: {HOST}\r\nContent-Length: {BODY_LENGTH}\r\n\r\n").encode("ascii")


class Stats:
    def __init__(self):
        self.open = 0
        self.opened = 0
        self.answered = 0  # the server sent a status line
        self.lifetimes = []  # seconds from connect until the client saw the server close
        self.statuses = {}
        self.failed_connects = 0
        self.connected = set()
        self.open_samples = []


async def read_answer(reader, stats):
    """Reads what the server sends until it closes; counts the status line of its answer."""
    try:
        line = await reader.readline()
        if line:
            stats.answered += 1
            code = line.split(b" ")[1].decode("ascii", "replace") if b" " in line else "?"
            stats.statuses[code] = stats.statuses.get(code, 0) + 1
        while await reader.read(65536):
            pass
    except OSError:
        pass


async def slow_client(i, stats, stop_at, connect_gate):
    """Sends one byte a second; at the first tick after the server has closed the connection, connects
    again."""
    while time.monotonic() < stop_at:
        async with connect_gate:  # a bounded number of connects in flight, as a real client pool would
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, ARGS.port), 10)
            except (OSError, asyncio.TimeoutError):
                stats.failed_connects += 1
                await asyncio.sleep(1)
                continue
        stats.open += 1
        stats.opened += 1
        stats.connected.add(i)
        answer = asyncio.ensure_future(read_answer(reader, stats))
        started = time.monotonic()
        try:
            writer.write(slow_request(i % 2))
            await writer.drain()
            sent = 0
            while time.monotonic() < stop_at and sent < BODY_LENGTH:
                await asyncio.sleep(1)  # the client's pace: it acts once a second
                if answer.done():
                    break  # the server has closed its side
                writer.write(b"x")
                await writer.drain()
                sent += 1
        except OSError:
            pass  # reset by the server
        finally:
            stats.open -= 1
            stats.lifetimes.append(time.monotonic() - started)
            answer.cancel()
            writer.close()
        await asyncio.sleep(ARGS.retry_pause)


async def hold():
    stats = Stats()
    stop_at = time.monotonic() + ARGS.hold
    gate = asyncio.Semaphore(64)
    tasks = [asyncio.ensure_future(slow_client(i, stats, stop_at, gate)) for i in range(ARGS.connections)]
    announced = False
    while time.monotonic() < stop_at - 1:
        await asyncio.sleep(0.5)
        if announced:
            stats.open_samples.append(stats.open)
        elif len(stats.connected) >= ARGS.connections:
            print("open", stats.open, flush=True)
            announced = True
    await asyncio.gather(*tasks, return_exceptions=True)
    samples = stats.open_samples or [0]
    print(json.dumps({"connections": ARGS.connections, "open_min": min(samples),
                      "open_mean": round(sum(samples) / len(samples)), "opened": stats.opened,
                      "answered": stats.answered, "statuses": stats.statuses,
                      "connection_seconds_median":
                          round(percentile(stats.lifetimes, 50), 2) if stats.lifetimes else None,
                      "failed_connects": stats.failed_connects}), flush=True)


def package(directory):
    """A valid noarch conda package in the .tar.bz2 format: info/index.json, paths.json, about.json and one
    payload file of incompressible bytes, so that a package GET moves a realistic amount of data."""
    payload = os.urandom(100 * 1024)
    index = {"name": "slow-bench", "version": "1.0", "build": "0", "build_number": 0, "subdir": "noarch",
             "depends": [], "license": "MIT", "timestamp": 1764547200000}
    paths = {"paths": [{"_path": "share/slow-bench/payload.bin", "path_type": "hardlink",
                        "size_in_bytes": len(payload)}], "paths_version": 1}
    members = {"info/index.json": json.dumps(index).encode(), "info/paths.json": json.dumps(paths).encode(),
               "info/about.json": b'{"summary": "payload for the slow-client benchmark"}',
               "share/slow-bench/payload.bin": payload}
    target = os.path.join(directory, "slow-bench-1.0-0.tar.bz2")
    with tarfile.open(target, "w:bz2") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1764547200
            tar.addfile(info, io.BytesIO(data))
    print(target)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def measure(paths, requests, deadline):
    """Sequential GETs on one keep-alive connection per path, in turn; a request that fails or takes
    longer than the timeout counts as the timeout."""
    timeout = ARGS.timeout
    conns = {p: None for p in paths}
    times = {p: [] for p in paths}
    failures = {p: 0 for p in paths}
    for _ in range(requests):
        for p in paths:
            if time.monotonic() > deadline:
                break
            start = time.monotonic()
            try:
                if conns[p] is None:
                    conns[p] = http.client.HTTPConnection(HOST, ARGS.port, timeout=timeout)
                conns[p].request("GET", p)
                res = conns[p].getresponse()
                res.read()
                if res.status != 200:
                    raise OSError(f"status {res.status}")
                times[p].append(time.monotonic() - start)
            except (OSError, http.client.HTTPException):
                failures[p] += 1
                times[p].append(max(timeout, time.monotonic() - start))
                if conns[p] is not None:
                    conns[p].close()
                conns[p] = None
    for c in conns.values():
        if c is not None:
            c.close()
    return {p: {"n": len(times[p]), "failed": failures[p],
                "p50": percentile(times[p], 50) * 1000 if times[p] else float("nan"),
                "p95": percentile(times[p], 95) * 1000 if times[p] else float("nan")} for p in paths}


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def run():
    """Idle, with the slow clients, idle again: the second idle phase shows how much the machine itself
    drifted meanwhile (it may be shared)."""
    measure(ARGS.paths, ARGS.warmup, time.monotonic() + ARGS.hold)  # JIT and caches, not recorded
    loads = [load_average()]
    idle = measure(ARGS.paths, ARGS.requests, time.monotonic() + ARGS.hold)
    loads.append(load_average())
    holder = subprocess.Popen([sys.executable, os.path.abspath(__file__), "hold", "--port", str(ARGS.port),
                               "--connections", str(ARGS.connections), "--hold", str(ARGS.hold),
                               "--retry-pause", str(ARGS.retry_pause), "--nice", str(ARGS.nice)],
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        opened_at = time.monotonic()
        line = holder.stdout.readline().strip()  # "open N" once all are connected, or the summary
        all_open = line.startswith("open")
        if all_open:
            # Let every slow client be refused and reconnect at least once before measuring.
            time.sleep(ARGS.settle)
        loads.append(load_average())
        loaded = measure(ARGS.paths, ARGS.requests, opened_at + ARGS.hold - 2)
        loads.append(load_average())
        summary = line if not all_open else holder.stdout.readline().strip()
        holder.wait(timeout=ARGS.hold + 30)
    finally:
        if holder.poll() is None:
            os.killpg(holder.pid, signal.SIGTERM)
            holder.wait()
    time.sleep(2)  # let the server close what the slow clients left
    loads.append(load_average())
    after = measure(ARGS.paths, ARGS.requests, time.monotonic() + ARGS.hold)
    loads.append(load_average())
    print(f"slow clients: {ARGS.connections}, body at 1 byte/s, reconnecting {ARGS.retry_pause:g} s after the"
          f" server closes, nice {ARGS.nice}; {'all' if all_open else 'NOT all'} connected before measuring"
          f" ({ARGS.settle:g} s later)")
    print(f"slow clients' tally: {summary}")
    print(f"{ARGS.requests} sequential GETs per path and phase (after {ARGS.warmup} unrecorded),"
          f" {ARGS.timeout:.0f} s timeout per request; 1-minute load average at the start and end of each"
          f" phase:"
          f" idle {loads[0]:.1f}-{loads[1]:.1f}, slow clients {loads[2]:.1f}-{loads[3]:.1f},"
          f" idle again {loads[4]:.1f}-{loads[5]:.1f}")
    print()
    print("| request | idle p50 / p95 | slow clients p50 / p95 | idle again p50 / p95 | p95 ratio to idle"
          " | failed |")
    print("|---|---:|---:|---:|---:|---:|")
    worst = 0.0
    for p in ARGS.paths:
        a, b, c = idle[p], loaded[p], after[p]
        ratio = b["p95"] / a["p95"] if a["p95"] > 0 else float("inf")
        worst = max(worst, ratio)
        print(f"| `{p}` | {a['p50']:.1f} / {a['p95']:.1f} ms | {b['p50']:.1f} / {b['p95']:.1f} ms"
              f" | {c['p50']:.1f} / {c['p95']:.1f} ms | {ratio:.2f} | {a['failed'] + b['failed'] + c['failed']} |")
    print()
    print(f"worst p95 ratio: {worst:.2f} ({'within' if worst <= 2 else 'NOT within'} 2x)")
    return 0 if all_open and worst <= 2 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["run", "hold", "package"])
    parser.add_argument("--port", type=int)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--hold", type=float, default=90, help="seconds the slow clients stay (bounds the run)")
    parser.add_argument("--settle", type=float, default=10, help="seconds between all open and measuring")
    parser.add_argument("--retry-pause", type=float, default=0,
                        help="seconds a slow client waits before it connects again")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the slow clients' process")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=3000, help="requests per path before the idle phase")
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("paths", nargs="*")
    ARGS = parser.parse_intermixed_args()
    if ARGS.mode == "package":
        package(ARGS.paths[0])
        sys.exit(0)
    if ARGS.port is None:
        parser.error("--port is needed")
    if not 1 <= ARGS.connections <= 5000 or not 1 <= ARGS.hold <= 600:
        parser.error("at most 5000 connections and 600 seconds")
    if ARGS.mode == "hold":
        os.nice(ARGS.nice)
        asyncio.run(hold())
    else:
        sys.exit(run())
