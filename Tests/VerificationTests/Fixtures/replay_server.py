#!/usr/bin/env python3
"""Loopback HTTP server for the verification tests: answers each request from a list of routes.

A route matches on path and, optionally, on substrings of the `query` parameter; it can require basic
auth and can answer only after a number of earlier matching requests. `${NS_AGO:N}` in a body becomes
the time N seconds ago in nanoseconds (Loki), `${S_AGO:N}` in float seconds (Prometheus). The server
binds the first free port of the range it is given, writes it to --port-file and logs every request
as a JSON line to --log.
"""
import argparse
import base64
import json
import re
import signal
import socketserver
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer


def expand(body):
    def ns(match):
        return str(time.time_ns() - int(float(match.group(1)) * 1_000_000_000))

    def seconds(match):
        return "%.3f" % (time.time() - float(match.group(1)))

    body = re.sub(r"\$\{NS_AGO:([0-9.]+)\}", ns, body)
    return re.sub(r"\$\{S_AGO:([0-9.]+)\}", seconds, body)


class Handler(BaseHTTPRequestHandler):
    routes = []
    log_path = None
    hits = {}

    def log_message(self, format, *args):
        pass

    def answer(self):
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        query = params.get("query", [""])[0]
        with open(self.log_path, "a") as log:
            log.write(json.dumps({"method": self.command, "path": url.path, "params": params,
                                "tenant": self.headers.get("X-Scope-OrgID")}) + "\n")
        for index, route in enumerate(self.routes):
            if route["path"] != url.path:
                continue
            if not all(part in query for part in route.get("query_contains", [])):
                continue
            self.hits[index] = self.hits.get(index, 0) + 1
            if self.hits[index] <= route.get("after_requests", 0):
                continue
            expected = route.get("basic_auth")
            if expected is not None:
                given = self.headers.get("Authorization", "")
                wanted = "Basic " + base64.b64encode(expected.encode()).decode()
                if given != wanted:
                    return self.send(401, "application/json", '{"message":"Unauthorized"}')
            return self.send(route.get("status", 200), route.get("content_type", "application/json"), expand(route.get("body", "")))
        self.send(404, "application/json", '{"message":"no route"}')

    def send(self, status, content_type, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = answer
    do_POST = answer
    do_HEAD = answer


def main():
    # A parent that blocks signals passes the mask on; the tests stop this server with SIGTERM.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--ports", default="19100-19199")
    args = parser.parse_args()
    with open(args.config) as file:
        Handler.routes = json.load(file)["routes"]
    Handler.log_path = args.log
    open(args.log, "w").close()
    first, last = (int(x) for x in args.ports.split("-"))
    server = None
    for port in range(first, last + 1):
        try:
            server = HTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    if server is None:
        sys.exit("no free port in %s" % args.ports)
    with open(args.port_file + ".tmp", "w") as file:
        file.write(str(server.server_address[1]))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
