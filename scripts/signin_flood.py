#!/usr/bin/env python3
"""Sign-in under attack, for scripts/bench-signin (not a test).

For DURATION seconds, at once:
  - guessers post wrong passwords to /login from random addresses (the server trusts
    X-Forwarded-For here, so each guess looks like a different machine and costs a hash);
  - droppers post sign-ups and sign-ins and hang up 3 ms after sending, before the answer;
  - a prober asks for /healthz and a signed-in /account every 100 ms;
  - half-way through, the unattacked user signs in with the right password from their own
    browser (device cookie), and once more from a new browser.
It prints one JSON object with what each saw. Standard library only.
"""

import http.client
import json
import random
import socket
import sys
import threading
import time
import urllib.parse

HOST, PORT, DURATION = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
SESSION, DEVICE, PASSWORD = sys.argv[4], sys.argv[5], sys.argv[6]
stop_at = time.monotonic() + DURATION
lock = threading.Lock()
counts = {}


def count(key):
    with lock:
        counts[key] = counts.get(key, 0) + 1


def random_ip():
    return f"198.51.{random.randint(0, 255)}.{random.randint(1, 254)}"


def form(fields):
    return urllib.parse.urlencode(fields)


def post(path, body, headers, timeout=30):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "same-origin",
            **headers,
        })
        return conn.getresponse().status
    finally:
        conn.close()


def guesser():
    while time.monotonic() < stop_at:
        login = random.choice(["victim", f"nobody{random.randint(0, 10**6)}"])
        try:
            status = post("/login", form({"login": login, "password": "not it"}),
                          {"X-Forwarded-For": random_ip()})
            count(f"guess {status}")
        except OSError:
            count("guess error")


def dropper():
    while time.monotonic() < stop_at:
        n = random.randint(0, 10**9)
        if n % 2:
            path, body = "/signup", form({"username": f"drop{n}", "email": f"drop{n}@example.com",
                                          "password": "a long dropped passphrase"})
        else:
            path, body = "/login", form({"login": f"drop{n}", "password": "whatever it is"})
        request = (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nSec-Fetch-Site: same-origin\r\n"
                   f"X-Forwarded-For: {random_ip()}\r\n"
                   "Content-Type: application/x-www-form-urlencoded\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n{body}")
        try:
            with socket.create_connection((HOST, PORT), timeout=5) as s:
                s.sendall(request.encode())
                time.sleep(0.003)
            count("dropped")
        except OSError:
            count("drop error")
        time.sleep(0.01)


probes = {"healthz": [], "account": []}


def prober():
    while time.monotonic() < stop_at:
        for name, path, headers in [("healthz", "/healthz", {}),
                                    ("account", "/account", {"Cookie": SESSION})]:
            started = time.monotonic()
            conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            try:
                conn.request("GET", path, headers=headers)
                status = conn.getresponse().status
            except OSError:
                status = 0
            finally:
                conn.close()
            probes[name].append((status, time.monotonic() - started))
        time.sleep(0.1)


owner = {}


def owner_signs_in():
    time.sleep(DURATION / 2)
    for name, cookie in [("own browser", DEVICE), ("new browser", "")]:
        started = time.monotonic()
        headers = {"X-Forwarded-For": "192.0.2.10"}
        if cookie:
            headers["Cookie"] = cookie
        try:
            status = post("/login", form({"login": "bystander", "password": PASSWORD}), headers)
        except OSError:
            status = 0
        owner[name] = {"status": status, "seconds": round(time.monotonic() - started, 3)}


threads = ([threading.Thread(target=guesser) for _ in range(24)]
           + [threading.Thread(target=dropper) for _ in range(8)]
           + [threading.Thread(target=prober), threading.Thread(target=owner_signs_in)])
for t in threads:
    t.start()
for t in threads:
    t.join()


def summary(samples):
    ok = sorted(s for status, s in samples if status == 200)
    if not ok:
        return {"answered_200": 0, "of": len(samples)}
    return {"answered_200": len(ok), "of": len(samples),
            "median_ms": round(ok[len(ok) // 2] * 1000, 1),
            "max_ms": round(ok[-1] * 1000, 1)}


print(json.dumps({"requests": counts,
                  "healthz": summary(probes["healthz"]),
                  "account": summary(probes["account"]),
                  "owner_sign_in": owner}, indent=2, sort_keys=True))
