"""Run Ralph's LRS (ralph-malph 5.1.0, openfun/ralph, MIT) for one group: Ralph's own app under uvicorn.

Run it with the Python of Ralph's virtualenv (requirements-ralph.txt):

    .venv-ralph/bin/python deploy/ralph/serve.py --data DIR --auth-file DIR/auth.json \
        --host 127.0.0.1 --port 8100 --allow-origin https://formation.example.org --allow-offline

It differs from ``ralph runserver -b fs`` in three ways only, each a limit of Ralph 5.1.0 met by the course:
- the file backend appends every accepted batch to ``DIR/fs_lrs.jsonl``: Ralph's own writes it once (its
  ``create`` mode refuses an existing file, so every POST after the first fails with 500);
- with ``--allow-offline``, requests from the offline edition (a page opened from ``file://``, origin ``null``)
  are allowed, which Ralph's ``RALPH_RUNSERVER_CORS_ALLOW_ORIGINS`` refuses (it takes http(s) origins only);
- no code reloader and no debug log (``runserver`` is Ralph's development server).
Scopes are enforced (``RALPH_LRS_RESTRICT_BY_SCOPES``): a ``statements/write`` credential cannot read.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder of the statements (created if missing)")
    parser.add_argument("--auth-file", type=Path, required=True, help="Ralph's users file (made by `ralph auth -w`)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--allow-origin", action="append", default=[], help="a site's origin (http(s)://host[:port])")
    parser.add_argument("--allow-offline", action="store_true", help="also allow the offline edition (origin null)")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    # Ralph reads its settings from the environment when it is imported: set them first.
    os.environ.update({
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(args.data.resolve()),
        "RALPH_HISTORY_FILE": str((args.data / "history.json").resolve()),
        "RALPH_AUTH_FILE": str(args.auth_file.resolve()),
        "RALPH_LRS_RESTRICT_BY_AUTHORITY": "true",
        "RALPH_LRS_RESTRICT_BY_SCOPES": "true",
        "RALPH_RUNSERVER_CORS_ALLOW_ORIGINS": json.dumps(args.allow_origin),
    })
    import uvicorn
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend

    FSLRSBackend.default_operation_type = BaseOperationType.APPEND  # see the module's docstring
    from ralph.api import app
    from starlette.middleware.cors import CORSMiddleware

    asgi: Any = app
    if args.allow_offline:
        # Ralph's own CORS middleware answers the http(s) origins; this one answers pages opened from file:// only.
        offline = CORSMiddleware(app, allow_origins=["null"], allow_methods=["GET", "POST", "PUT"],
                                 allow_headers=["Authorization", "Content-Type", "X-Experience-API-Version"])

        async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
            headers = dict(scope.get("headers") or [])
            target = offline if scope["type"] == "http" and headers.get(b"origin") == b"null" else app
            await target(scope, receive, send)

    uvicorn.run(asgi, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
