"""A real Debian nginx on loopback with the project's deploy/nginx.conf, for the tests."""
from __future__ import annotations

import getpass
import socket
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from cityportal.ops.local_ports import free_port

NGINX = Path("/usr/sbin/nginx")


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            threading.Event().wait(0.05)
    raise RuntimeError(f"nginx did not listen on {port}")


# Plain Pagefind, the search evaluation's baseline, runs WebAssembly; the portal's CSP
# does not allow it, so only the evaluation's nginx adds this.
WASM_SCRIPT_SRC = "script-src 'self' 'wasm-unsafe-eval'"


@contextmanager
def running_nginx(site_root: Path, state_dir: Path, snippets_dir: Path | None = None,
                  allow_wasm: bool = False):
    """A real Debian nginx serving `site_root` on loopback with deploy/nginx.conf (and its
    snippets, or those in `snippets_dir`); yields (base URL, access log). `allow_wasm`
    lets pages run WebAssembly (WASM_SCRIPT_SRC)."""
    from cityportal.ops.nginx_config import loopback_values, render

    port = free_port()
    state_dir.mkdir(parents=True, exist_ok=True)
    values = loopback_values(site_root, port, state_dir, getpass.getuser())
    if snippets_dir is not None:
        values["SNIPPETS_DIR"] = str(snippets_dir)
    conf = state_dir / "nginx.conf"
    text = render(values)
    if allow_wasm:
        text = text.replace("script-src 'self';", WASM_SCRIPT_SRC + ";")
    conf.write_text(text, encoding="utf-8")
    process = subprocess.Popen(
        [str(NGINX), "-p", str(state_dir), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process, Path(values["ERROR_LOG"]))
        yield f"http://127.0.0.1:{port}", Path(values["ACCESS_LOG"])
    finally:
        process.terminate()
        process.wait(timeout=10)
