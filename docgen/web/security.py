"""Who may use the workspace: loopback by default; elsewhere a token; a CSRF secret on every
change; request bodies no larger than a case file.

Against DNS rebinding (a page on attacker.example whose name is made to point at 127.0.0.1),
the Host header must be, exactly, an address the server is reached at: the address it listens
on (given to create_app, or else the local address of the connection, which the ASGI server
reads from the socket), with its port, plus `localhost`, `127.0.0.1` and `[::1]` when that
address is on this computer. Never a prefix: `127.attacker.example` is a name, not an address.
Every change must also come from a page of that very address (Origin)."""

from __future__ import annotations

import hmac
import ipaddress
import re
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
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")  # listening on every interface
MAX_BODY = MAX_FILE_BYTES + 64 * 1024
# the forms that send an act's file (a signed original, a scan, a reviewed DOCX; an
# acknowledgement with the stamped act): larger bodies
UPLOAD_PATH = re.compile(r"^/t/[A-Za-z0-9][A-Za-z0-9._-]{0,99}/actes/"
                         r"(adhesion|convention|avenant-[0-9]{2})/(original|relu|accuse)$")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


# the form that sends a secteur's perimeter (a GeoJSON, up to the loader's limit)
PERIMETRE_PATH = re.compile(r"^/t/[A-Za-z0-9][A-Za-z0-9._-]{0,99}/secteurs/[a-z0-9][a-z0-9-]{0,63}"
                            r"/perimetre$")


def body_limit(method: str, path: str) -> int:
    """The largest request body accepted: a case file's, or an act's file for its forms, or a
    perimeter's."""
    from ..load.geo import MAX_BYTES
    from .actes import MAX_ACCUSE, MAX_UPLOAD

    if method == "POST" and PERIMETRE_PATH.match(path):
        return MAX_BYTES + 64 * 1024
    form = UPLOAD_PATH.match(path) if method == "POST" else None
    if form is None:
        return MAX_BODY
    return MAX_UPLOAD + (MAX_ACCUSE if form.group(2) == "accuse" else 0) + 64 * 1024


def _bare(host: str) -> str:
    """`[::1]` → `::1`; names in lower case (DNS names are case-insensitive)."""
    host = host.strip().lower()
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(_bare(host))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """`localhost` or a loopback IP address, written in full (`127.0.0.1`, `::1`, `[::1]`);
    never a name that merely starts like one (`127.attacker.example`)."""
    if _bare(host) == "localhost":
        return True
    ip = _ip(host)
    return ip is not None and ip.is_loopback


def authority(host: str, port: int) -> str:
    """host:port as a browser writes it in Host and Origin (IPv6 in brackets, port 80
    left out)."""
    name = _bare(host)
    shown = f"[{name}]" if ":" in name else name
    return shown if port == 80 else f"{shown}:{port}"


def accepted_hosts(listen_host: str | None, listen_port: int | None,
                   server: Any = None) -> list[str]:
    """Every Host header accepted, most useful first. `server` is the ASGI scope's
    (local address, port) of the connection: trusted only when it is an IP address (the socket's
    own; a test client fills it from the URL it was given)."""
    names: list[str] = []
    port = listen_port
    local = None
    if isinstance(server, (tuple, list)) and len(server) >= 2 and isinstance(server[0], str) \
            and _ip(server[0]) is not None and isinstance(server[1], int):
        local = (_bare(server[0]), server[1])
    if listen_host is not None:
        names.append(_bare(listen_host))
    if local is not None and (listen_host is None or _bare(listen_host) in WILDCARDS
                              or _ip(listen_host) is None):
        # the address this connection reached: the one listened on, or, on every interface
        # or behind a name, the interface's own address
        names.append(local[0])
        if port is None:
            port = local[1]
    if port is None:
        return []
    if any(is_loopback(n) for n in names):
        names += LOOPBACK_NAMES
    out: list[str] = []
    for name in names:
        if not name:
            continue
        shown = authority(name, port)
        for form in (shown, shown + ":80") if port == 80 else (shown,):
            if form not in out:
                out.append(form)
    return out


def _origin_of(host_header: str) -> str:
    """The Origin a page served under this (accepted) Host sends: http://host[:port], the port
    80 left out."""
    host = host_header.strip().lower()
    return "http://" + host.removesuffix(":80")


class Guard(BaseHTTPMiddleware):
    """Host check (exact, against DNS rebinding), token (when set), body size, Origin and the
    CSRF cookie every form echoes."""

    def __init__(self, app: Any, token: str | None, render: Any, host: str | None = None,
                 port: int | None = None) -> None:
        super().__init__(app)
        self.token = token
        self.render = render
        self.host = host
        self.port = port

    async def dispatch(self, request: Request, call_next: Any) -> Response:
        accepted = accepted_hosts(self.host, self.port, request.scope.get("server"))
        given = request.headers.get("host", "").strip().lower()
        if given not in accepted:
            return self.render(request, "refus.html", {"raison": "hote",
                                                       "adresse": accepted[0] if accepted else ""},
                               403)
        if self.token is not None:
            sent = request.query_params.get("jeton")
            if sent is not None and hmac.compare_digest(sent.encode(), self.token.encode()):
                rest = {k: v for k, v in request.query_params.items() if k != "jeton"}
                target = request.url.path + ("?" + urlencode(rest) if rest else "")
                response: Response = RedirectResponse(target, 303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return response
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(cookie.encode(), self.token.encode()):
                return self.render(request, "refus.html", {"raison": "jeton"}, 401)
        length = request.headers.get("content-length")
        if request.method not in SAFE_METHODS and length is None:
            length = "x"  # a body without its length (chunked) is not read at all
        limit = body_limit(request.method, request.url.path)
        if length is not None and (not length.isdigit() or int(length) > limit):
            return self.render(request, "refus.html", {"raison": "taille",
                                                       "limite": limit >> 20}, 413)
        csrf = request.cookies.get(CSRF_COOKIE)
        new_csrf = None
        if not csrf or len(csrf) < 20:
            csrf = new_csrf = secrets.token_urlsafe(24)
        request.state.csrf = csrf
        if request.method not in SAFE_METHODS:
            # a browser always names the page a change comes from; it must be this address,
            # exactly ("null", a sandboxed or local page, is not)
            origin = request.headers.get("origin")
            if origin is not None and origin.strip().lower() != _origin_of(given):
                return self.render(request, "refus.html", {"raison": "origine"}, 403)
            await request.body()  # cached: the endpoint reads the same body again
            form = await request.form(max_part_size=MAX_BODY)  # files are spooled, not bound
            sent_csrf = str(form.get(CSRF_FIELD, ""))
            await form.close()  # its own parse: the endpoint parses the cached body again
            if new_csrf is not None or not hmac.compare_digest(sent_csrf.encode(), csrf.encode()):
                return self.render(request, "refus.html", {"raison": "csrf"}, 403)
        response = await call_next(request)
        if new_csrf is not None:
            response.set_cookie(CSRF_COOKIE, new_csrf, httponly=True, samesite="strict")
        return response
