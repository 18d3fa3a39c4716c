"""A real HTTP receiver for webhook tests: a threaded server on loopback that records each POST and answers
500 to the first FAIL_FIRST of them."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, fail_first: int = 0, answer: dict | None = None):
        self.posts: list[dict] = []
        self.attempts = 0
        self.fail_first = fail_first
        self.answer = answer if answer is not None else {"errcode": 0, "errmsg": "ok"}
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the stdlib's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.attempts += 1
                    failing = receiver.attempts <= receiver.fail_first
                    if not failing:
                        receiver.posts.append({"path": self.path, "content_type": self.headers.get("Content-Type"),
                                               "json": json.loads(body.decode("utf-8"))})
                data = json.dumps({"errcode": -1, "errmsg": "busy"} if failing else receiver.answer).encode()
                self.send_response(500 if failing else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=test"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
