"""Who may use the workspace: loopback by default; elsewhere a token; a CSRF secret on every
change; request bodies no larger than a case file."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..load.yamlpos import MAX_FILE_BYTES

TOKEN_COOKIE = "docgen_jeton"
CSRF_COOKIE = "docgen_csrf"
CSRF_FIELD = "csrf"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAX_BODY = MAX_FILE_BYTES + 64 * 1024


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def _host_name(request: Request) -> str:
    host = request.headers.get("host", "")
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


class Guard(BaseHTTPMiddleware):
    """Token (when set), Host check (without a token: only loopback names, against DNS
    rebinding), body size, and the CSRF cookie every form echoes."""

    def __init__(self, app: Any, token: str | None, render: Any) -> None:
        super().__init__(app)
        self.token = token
        self.render = render

    async def dispatch(self, request: Request, call_next: Any) -> Response:
        if self.token is None and not is_loopback(_host_name(request)):
            return self.render(request, "refus.html", {"raison": "hote"}, 403)
        if self.token is not None:
            given = request.query_params.get("jeton")
            if given is not None and hmac.compare_digest(given.encode(), self.token.encode()):
                rest = {k: v for k, v in request.query_params.items() if k != "jeton"}
                target = request.url.path + ("?" + urlencode(rest) if rest else "")
                response: Response = RedirectResponse(target, 303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return response
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(cookie.encode(), self.token.encode()):
                return self.render(request, "refus.html", {"raison": "jeton"}, 401)
        length = request.headers.get("content-length")
        if request.method not in ("GET", "HEAD", "OPTIONS") and length is None:
            length = "x"  # a body without its length (chunked) is not read at all
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return self.render(request, "refus.html", {"raison": "taille"}, 413)
        csrf = request.cookies.get(CSRF_COOKIE)
        new_csrf = None
        if not csrf or len(csrf) < 20:
            csrf = new_csrf = secrets.token_urlsafe(24)
        request.state.csrf = csrf
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host"):
                return self.render(request, "refus.html", {"raison": "csrf"}, 403)
            await request.body()  # cached: the endpoint reads the same body again
            form = await request.form(max_part_size=MAX_BODY)
            sent = str(form.get(CSRF_FIELD, ""))
            if new_csrf is not None or not hmac.compare_digest(sent.encode(), csrf.encode()):
                return self.render(request, "refus.html", {"raison": "csrf"}, 403)
        response = await call_next(request)
        if new_csrf is not None:
            response.set_cookie(CSRF_COOKIE, new_csrf, httponly=True, samesite="strict")
        return response
