#!/usr/bin/env python3
"""Prints the newest link to PATH (with its token) mailed to ADDRESS, from the server's outbox
folder, waiting up to 15 s for the mail worker. The benchmarks use it to follow sign-up links.

Usage: scripts/mail_link.py OUTBOX_DIR ADDRESS PATH
"""
import email
import email.policy
import pathlib
import re
import sys
import time

outbox, address, path = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
pattern = re.compile(re.escape(path) + r"\?token=[\w-]+")
deadline = time.monotonic() + 15
while time.monotonic() < deadline:
    found = None
    for eml in sorted(outbox.glob("*.eml")) if outbox.is_dir() else []:
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        if address not in str(message["To"]):
            continue
        body = message.get_body(preferencelist=("plain",))
        match = pattern.search(body.get_content() if body else "")
        if match:
            found = match.group(0)
    if found:
        print(found)
        sys.exit(0)
    time.sleep(0.1)
sys.exit(f"no mail to {address} with a link to {path} in {outbox}")
