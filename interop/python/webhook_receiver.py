#!/usr/bin/env python3
"""Independent webhook receiver: verifies Entrenar's X-Entrenar-Signature with Python's own hmac.

    /usr/bin/python3 interop/python/webhook_receiver.py --secret S [--port 0] [--tolerance 300]

Prints `listening <port>` once, then one JSON line per request:
    {"delivery_id": ..., "signature_valid": bool, "status": 200|401, "body": <parsed JSON>}
Answers 200 when the signature is valid, 401 otherwise. Written from the README's description of
the header only (t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>), not from our Java code.
"""
import argparse
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


def valid(secret, header, body, tolerance):
    if not header:
        return False
    try:
        parts = dict(p.strip().split("=", 1) for p in header.split(","))
        t = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(time.time() - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secret", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tolerance", type=int, default=300)
    args = ap.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ok = valid(args.secret, self.headers.get("X-Entrenar-Signature"), body, args.tolerance)
            status = 200 if ok else 401
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = body.decode("utf-8", "replace")
            print(json.dumps({"delivery_id": self.headers.get("X-Entrenar-Delivery"), "signature_valid": ok,
                              "status": status, "body": parsed}, sort_keys=True), flush=True)

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", args.port), Handler)
    print("listening %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
