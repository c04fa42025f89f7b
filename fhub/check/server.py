"""``fhub check-server``: the pre-send check as a local web page (127.0.0.1 only).

A data officer picks the borough, drops one or more files and reads the same summary and receipt as
``fhub check`` prints. Nothing is kept: uploads are written into a temporary folder that is deleted after
the check (also when it fails), the check itself lands into its own throw-away folder, responses are marked
``no-store`` and nothing about a file (not even its name) is logged. Uploads larger than the limit are
refused before they are parsed. Plain HTML in the style of the GOV.UK Design System, no scripts, no external
assets: it works offline.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from fhub.check.render import data_uri, receipt_html
from fhub.check.run import CheckError, borough_choices, check_files, sweep_stale
from fhub.settings import Paths

HOST = "127.0.0.1"
_log = logging.getLogger("fhub.check")
_ENV = Environment(loader=PackageLoader("fhub.check", "templates"), autoescape=select_autoescape(["j2", "html"]))
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
#: downloads are offered as data: links up to this size (the receipt's CSV of a huge file can be large)
_MAX_DOWNLOAD_CHARS = 20 * 1024 * 1024


class _TooLarge(Exception):  # noqa: N818 - internal signal
    pass


class UploadLimit:
    """Refuse request bodies over ``limit`` bytes before the form is parsed: by Content-Length when given,
    else by counting while reading. The rest of the body is read and thrown away so the browser shows the
    page instead of a broken connection."""

    def __init__(self, app, limit: int, too_large):
        self.app, self.limit, self.too_large = app, limit, too_large

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        try:
            if length is not None and length.isdigit() and int(length) > self.limit:
                raise _TooLarge
            await self.app(scope, counted, send)
        except _TooLarge:
            while True:  # drain (and discard) what the browser is still sending
                message = await receive()
                if message["type"] != "http.request" or not message.get("more_body"):
                    break
            await self.too_large(scope, receive, send)


def _safe_upload_name(name: str | None) -> str | None:
    """The file's own name (it decides extract and period), as one safe path component; None if unusable."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if base in ("", ".", "..") or "\x00" in base or len(base.encode("utf-8")) > 255:
        return None
    return base


def create_app(paths: Paths, *, max_upload_bytes: int = 100 * 1024 * 1024, mode: str = "demo",
               history: bool = True, config_dir: Path | None = None, temp_root: Path | None = None,
               env: Mapping[str, str] | None = None) -> FastAPI:
    """The check page; ``env``: the entry point's environment handed to :func:`fhub.check.check_files`."""
    sweep_stale(temp_root)  # folders a killed server left behind
    app = FastAPI(title="Family hubs pre-send check", docs_url=None, redoc_url=None, openapi_url=None)
    lock = threading.Lock()  # one check at a time: each lands into its own DuckDB file, memory is shared
    max_mb = f"{max_upload_bytes / 1024 / 1024:.1f}".removesuffix(".0")
    history_note = ("It compares each file with the deliveries the warehouse already holds for your borough, "
                    "as tonight's run would." if history else
                    "It does not compare with earlier deliveries (started with --no-history).")

    def page(template: str, status: int = 200, **context) -> HTMLResponse:
        context.setdefault("errors", {})
        html = _ENV.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status, headers=_HEADERS)

    def form(errors: dict | None = None, chosen: str = "", status: int = 200) -> HTMLResponse:
        return page("form.html.j2", status, title="Check a file before you send it", errors=errors or {},
                    boroughs=borough_choices(paths, config_dir), chosen=chosen, max_mb=max_mb,
                    history_note=history_note)

    async def too_large(scope, receive, send):
        response = form({"files": f"The upload is larger than {max_mb} MB. Check fewer or smaller files at a "
                                  "time, or use `fhub check` on the command line."}, status=413)
        await response(scope, receive, send)

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return form()

    @app.post("/check", response_class=HTMLResponse)
    async def check(request: Request) -> HTMLResponse:
        upload_dir = Path(tempfile.mkdtemp(prefix="fhub-upload-", dir=temp_root))
        data = None
        try:
            data = await request.form(max_files=100, max_fields=10)
            chosen = str(data.get("borough") or "")
            uploads = [u for u in data.getlist("files") if hasattr(u, "read")]
            errors = {}
            if chosen not in borough_choices(paths, config_dir):
                errors["borough"] = "Choose your borough"
            named = [(u, _safe_upload_name(u.filename)) for u in uploads if u.filename]
            if not named:
                errors["files"] = "Choose a file to check"
            elif any(n is None for _, n in named):
                errors["files"] = "A file has a name that cannot be used; rename it as agreed and try again"
            elif len({n for _, n in named}) != len(named):
                errors["files"] = "Two files have the same name; check them one at a time"
            if errors:
                return form(errors, chosen, status=400)
            files = []
            for upload, name in named:
                target = upload_dir / name
                with open(target, "wb") as out:
                    while chunk := await upload.read(1024 * 1024):
                        out.write(chunk)
                files.append(target)

            def run():
                with lock:
                    return check_files(paths, chosen, files, mode=mode, history=history, config_dir=config_dir,
                                       temp_root=temp_root, env=env)

            try:
                result = await run_in_threadpool(run)
            except CheckError as exc:
                return form({"files": str(exc)}, chosen, status=400)
            except Exception as exc:  # noqa: BLE001 - the officer sees a plain sentence, never a traceback
                _log.error("the pre-send check could not run (%s)", type(exc).__name__)
                return form({"files": "The check could not run on this file (a problem on our side, not in "
                                      "your file). Nothing was stored. Tell the hub data team."}, chosen,
                            status=500)
            csv_href = (data_uri(result.receipt_csv, "text/csv")
                        if result.receipt_csv and len(result.receipt_csv) < _MAX_DOWNLOAD_CHARS else None)
            return page("result.html.j2", title=result.headline, result=result,
                        receipt_html=receipt_html(result.receipt_markdown),
                        md_href=data_uri(result.receipt_markdown, "text/markdown"), csv_href=csv_href)
        finally:
            if data is not None:
                await data.close()
            shutil.rmtree(upload_dir, ignore_errors=True)

    app.add_middleware(UploadLimit, limit=max_upload_bytes, too_large=too_large)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[HOST, "localhost"])
    return app


def serve(paths: Paths, *, port: int = 8765, max_upload_mb: float = 100, mode: str = "demo",
          history: bool = True, env: Mapping[str, str] | None = None) -> None:
    """Run the page on http://127.0.0.1:<port>/ until interrupted (never on another interface)."""
    import uvicorn

    app = create_app(paths, max_upload_bytes=int(max_upload_mb * 1024 * 1024), mode=mode, history=history,
                     env=env)
    print(f"Pre-send check: open http://{HOST}:{port}/ (this computer only; Ctrl+C stops it)")
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False, server_header=False)
