"""One soffice for a test worker's LibreOffice conversions, driven through LibreOffice's UNO bridge.

Run by tests/conftest.py (LibreOffice) with the Python the bridge is built for (Debian's python3-uno:
/usr/bin/python3), as `python3 libreoffice_server.py SOFFICE -env:UserInstallation=URL`. It starts soffice
listening on a pipe, then answers one JSON line on stdout per JSON line on stdin:
  first, once connected:                       {"ok": true, "group": PROCESS GROUP OF SOFFICE}
  {"to": "pdf"|"pptx", "outdir": DIR, "sources": [FILE, ...]}  ->  {"ok": true} or {"ok": false, "error": TEXT}
  {"quit": true}, or the end of stdin          ->  soffice is ended, then this process
Each source is opened hidden and stored as `soffice --convert-to TO` stores it (OUTDIR/STEM.TO, the same
export filter); only soffice's start-up, about a second of CPU, is paid once rather than per run.
"""

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

FILTERS = {"pdf": "impress_pdf_Export", "pptx": "Impress MS PowerPoint 2007 XML"}
START_TIMEOUT = 120.0


def properties(**values):
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def say(**answer):
    print(json.dumps(answer), flush=True)


def connect(soffice: subprocess.Popen, pipe: str):
    """The running soffice's desktop, once it accepts connections; None if it exits or never does."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            if soffice.poll() is not None or time.monotonic() > deadline:
                return None
            time.sleep(0.1)


def convert(desktop, to: str, outdir: Path, sources: list[str]) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    for source in sources:
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(source), "_blank", 0, properties(Hidden=True)
        )
        if doc is None:
            raise RuntimeError(f"LibreOffice could not open {source}")
        try:
            target = outdir / f"{Path(source).stem}.{to}"
            doc.storeToURL(uno.systemPathToFileUrl(str(target)), properties(FilterName=FILTERS[to]))
        finally:
            doc.close(True)


def main() -> None:
    soffice_path, profile = sys.argv[1], sys.argv[2]
    pipe = f"digibrief-tests-{os.getpid()}"
    soffice = subprocess.Popen(
        [
            soffice_path,
            profile,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: the caller can end soffice and its children together
    )
    desktop = connect(soffice, pipe)
    if desktop is None:
        say(ok=False, error="soffice did not accept a connection")
        os.killpg(soffice.pid, 9)
        soffice.wait()
        return
    say(ok=True, group=soffice.pid)
    try:
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("quit"):
                break
            try:
                convert(desktop, request["to"], Path(request["outdir"]), request["sources"])
            except Exception as exc:  # what went wrong, to the test that asked
                say(ok=False, error=repr(exc))
            else:
                say(ok=True)
    finally:
        with contextlib.suppress(Exception):  # the connection closes as soffice ends
            desktop.terminate()
        try:
            soffice.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(soffice.pid, 9)
            soffice.wait()


if __name__ == "__main__":
    main()
