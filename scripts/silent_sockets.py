#!/usr/bin/env python3
"""Silent connections against a running server, for scripts/bench-signin (not a test).

For DURATION seconds, at once:
  - SOCKETS TCP connections that never send a byte are held open, spread evenly over the
    loopback source addresses 127.0.0.2 ... 127.0.0.(SOURCES+1) (each socket bound to its own,
    so the server's per-address cap does not refuse them all); any the server closes is
    re-opened at once (at most OPEN_RATE a second), so SOCKETS are attempted throughout;
  - a prober asks for /healthz and a signed-in /account (with COOKIE) from 127.0.0.1 every
    100 ms;
  - the server's open files (/proc/PID/fd) and resident memory (VmRSS) are sampled.
It prints a compact summary. Standard library only.

Usage: scripts/silent_sockets.py HOST PORT PID DURATION SOCKETS SOURCES COOKIE
"""

import collections
import errno
import http.client
import os
import resource
import selectors
import socket
import sys
import threading
import time

HOST, PORT, PID = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
DURATION, SOCKETS, SOURCES = float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
COOKIE = sys.argv[7]
PROBE_TIMEOUT = 5.0
OPEN_RATE = 5_000  # silent sockets opened per second at most

# One descriptor per socket, and some to spare.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
wanted = SOCKETS + 256
if soft < wanted:
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))

stop = threading.Event()


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def ms(seconds):
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"


# --- the server's side: open files and memory ------------------------------------------------

samples = {"fds": [], "rss": []}


def server_fds():
    try:
        return len(os.listdir(f"/proc/{PID}/fd"))
    except OSError:
        return None


def server_rss_kb():
    try:
        with open(f"/proc/{PID}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def sampler():
    while not stop.is_set():
        fds, rss = server_fds(), server_rss_kb()
        if fds is not None:
            samples["fds"].append(fds)
        if rss is not None:
            samples["rss"].append(rss)
        stop.wait(0.2)


# --- the legitimate client: probes from 127.0.0.1 --------------------------------------------

probes = {"healthz": [], "account": []}


def probe(path, headers):
    started = time.monotonic()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=PROBE_TIMEOUT, source_address=("127.0.0.1", 0))
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        outcome = response.status
    except socket.timeout:
        outcome = "timeout"
    except OSError as e:
        outcome = type(e).__name__
    except http.client.HTTPException as e:
        outcome = type(e).__name__
    finally:
        conn.close()
    return outcome, time.monotonic() - started


def prober():
    while not stop.is_set():
        for name, path, headers in [("healthz", "/healthz", {}), ("account", "/account", {"Cookie": COOKIE})]:
            probes[name].append(probe(path, headers))
        stop.wait(0.1)


# --- the silent sockets ------------------------------------------------------------------------

selector = selectors.DefaultSelector()
sources = [f"127.0.0.{2 + i}" for i in range(SOURCES)]
counts = {"opened": 0, "closed_by_server": 0, "reset_by_server": 0, "connect_failed": 0, "open_errors": 0}
close_after = []  # seconds from opening to the server's close, per closed socket
connected = set()
peak_connected = 0


def open_silent(slot):
    source = sources[slot % len(sources)]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setblocking(False)
        s.bind((source, 0))
        code = s.connect_ex((HOST, PORT))
        if code not in (0, errno.EINPROGRESS):
            raise OSError(code, errno.errorcode.get(code, str(code)))
    except OSError:
        s.close()
        counts["open_errors"] += 1
        return False
    counts["opened"] += 1
    # Writable once connected; readable once the server closes (or the connection fails).
    selector.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, (slot, time.monotonic()))
    return True


def listen_overflows():
    """The kernel's count of connections dropped because a listen queue was full (all sockets)."""
    try:
        with open("/proc/net/netstat") as netstat:
            lines = netstat.read().splitlines()
        for names, values in zip(lines[::2], lines[1::2]):
            if names.startswith("TcpExt:"):
                return int(dict(zip(names.split()[1:], values.split()[1:]))["ListenOverflows"])
    except (OSError, KeyError, ValueError):
        return None
    return None


def silent_sockets():
    global peak_connected
    # Opened at most OPEN_RATE a second: a faster burst overflows the server's listen queue,
    # and a connection whose handshake the kernel then completes by SYN cookie exists on this
    # side only (a silent client never finds out), which would count sockets the server never
    # held. Re-opening at this pace is still a flood: 5,000 connections a second.
    waiting = collections.deque(range(SOCKETS))
    budget, last = 0.0, time.monotonic()
    while not stop.is_set():
        for key, events in selector.select(timeout=0.005):
            s, (slot, opened_at) = key.fileobj, key.data
            if events & selectors.EVENT_READ:
                try:
                    data = s.recv(1)
                    outcome = "closed_by_server" if not data else None
                except ConnectionResetError:
                    outcome = "reset_by_server"
                except OSError:
                    outcome = "connect_failed"
                if outcome is None:
                    continue  # the server said something; keep listening for its close
                counts[outcome] += 1
                if outcome != "connect_failed":
                    close_after.append(time.monotonic() - opened_at)
                connected.discard(s)
                selector.unregister(s)
                s.close()
                waiting.append(slot)
            elif events & selectors.EVENT_WRITE:
                connected.add(s)
                peak_connected = max(peak_connected, len(connected))
                selector.modify(s, selectors.EVENT_READ, key.data)
        now = time.monotonic()
        budget, last = min(budget + (now - last) * OPEN_RATE, OPEN_RATE / 20), now
        retry = []
        while waiting and budget >= 1:
            slot = waiting.popleft()
            budget -= 1
            if not open_silent(slot):
                retry.append(slot)
        waiting.extend(retry)
    still_open = len(connected)
    for key in list(selector.get_map().values()):
        selector.unregister(key.fileobj)
        key.fileobj.close()
    return still_open


fds_before, rss_before = server_fds(), server_rss_kb()
overflows_before = listen_overflows()
threads = [threading.Thread(target=sampler), threading.Thread(target=prober)]
for t in threads:
    t.start()
timer = threading.Timer(DURATION, stop.set)
timer.start()
still_open = silent_sockets()
for t in threads:
    t.join()
time.sleep(2)
fds_after, rss_after = server_fds(), server_rss_kb()
overflows_after = listen_overflows()


def report_probes(name, results):
    statuses = {}
    for outcome, _ in results:
        statuses[outcome] = statuses.get(outcome, 0) + 1
    ok = [seconds for outcome, seconds in results if outcome == 200]
    failed = sum(1 for outcome, _ in results if not isinstance(outcome, int))
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0])))
    print(f"  {name:8} {len(results)} probes; {shown}; failures/timeouts {failed}; "
          f"200s p50 {ms(percentile(ok, 0.5))}, p99 {ms(percentile(ok, 0.99))}, max {ms(max(ok) if ok else None)}")


print(f"Silent connections: {SOCKETS} held for {DURATION:.0f}s from {len(sources)} addresses "
      f"({sources[0]} ... {sources[-1]}), re-opened when closed")
closed = counts["closed_by_server"] + counts["reset_by_server"]
quick = sum(1 for seconds in close_after if seconds < 1)
print(f"  sockets  {counts['opened']} opened, peak {peak_connected} connected at once; "
      f"server closed {closed} ({counts['reset_by_server']} by reset), {quick} of them within 1 s; "
      f"time to close p50 {ms(percentile(close_after, 0.5))}, p90 {ms(percentile(close_after, 0.9))}, "
      f"max {ms(max(close_after) if close_after else None)}; still open at the end {still_open}; "
      f"failed to connect {counts['connect_failed']}, could not open {counts['open_errors']}; "
      f"listen queue overflows {'-' if None in (overflows_before, overflows_after) else overflows_after - overflows_before}")
report_probes("/healthz", probes["healthz"])
report_probes("/account", probes["account"])
print(f"  server   open files: before {fds_before}, "
      f"peak {max(samples['fds']) if samples['fds'] else '-'}, "
      f"2 s after {fds_after if fds_after is not None else '-'}; "
      f"memory (VmRSS): before {rss_before} kB, "
      f"peak {max(samples['rss']) if samples['rss'] else '-'} kB, "
      f"2 s after {rss_after if rss_after is not None else '-'} kB")
