"""A city's system on loopback: a real HTTP server that receives Razem's webhooks and
verifies each signature with the subscription's secret, as a BIP would."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def verified(self, secret: str) -> dict:
        """The payload, if the signature holds for `secret` (else WebhookVerificationError)."""
        return Webhook(secret).verify(self.body, self.headers)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    # the statuses of the next answers; 200 once they run out
    answers: list[int] = field(default_factory=list)

    def payloads(self, secret: str) -> list[dict]:
        return [request.verified(secret) for request in self.received]


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        receiver.received.append(Received(dict(self.headers.items()), body))
        status = receiver.answers.pop(0) if receiver.answers else 200
        answer = {"ok": status < 300} if status < 500 else {"error": "Błąd serwera BIP"}
        content = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args) -> None:  # the test's output is not the server's log
        pass


def serve() -> tuple[Receiver, ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    receiver = Receiver(f"http://127.0.0.1:{server.server_address[1]}/razem/zdarzenia")
    server.receiver = receiver  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
