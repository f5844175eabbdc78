"""A Python client for the JavaScript interop peer (``interop/node/peer.mjs``).

The peer is one long-running ``node`` process speaking JSON lines: one request per line on its
stdin, one response per line on its stdout, strictly in order. One process serves a whole test
session or benchmark run, so no call pays Node's start-up. The peer is Digital Bazaar's
libraries (``@digitalbazaar/vc``, ``data-integrity``, the two EdDSA cryptosuites, did:key)
with an offline document loader; see ``interop/node/README.md``.

Used by ``tests/core/interop`` (session fixture in ``conftest.py``) and by the benchmarks, so
it depends on nothing but the standard library.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

PROJECT_ROOT = Path(__file__).resolve().parents[3]
PEER_DIR = PROJECT_ROOT / "interop" / "node"
PEER_SCRIPT = PEER_DIR / "peer.mjs"
NOT_INSTALLED = (
    "the JavaScript interop peer is not installed (or is out of date with "
    "interop/node/package-lock.json): run make test (it runs npm ci in interop/node)"
)
#: Seconds to wait for one response; benchmarks pass their own.
DEFAULT_TIMEOUT = 60.0


class PeerError(RuntimeError):
    """The peer answered ``ok: false``, died, or did not answer in time."""


def installation_problem(peer_dir: Path = PEER_DIR) -> str | None:
    """Why the peer cannot run here, or ``None`` when ``node`` and ``npm ci``'s tree are ready.

    ``node_modules`` must hold exactly the versions of ``package-lock.json``: npm writes the
    installed tree to ``node_modules/.package-lock.json``, which is compared package by package.
    """
    if shutil.which("node") is None:
        return "node is not on PATH: the interop tests need Node 20 (see interop/node/README.md)"
    lock_path = peer_dir / "package-lock.json"
    installed_path = peer_dir / "node_modules" / ".package-lock.json"
    if not installed_path.is_file():
        return NOT_INSTALLED
    wanted = json.loads(lock_path.read_text(encoding="utf-8"))["packages"]
    installed = json.loads(installed_path.read_text(encoding="utf-8"))["packages"]
    for name, entry in wanted.items():
        if name and installed.get(name, {}).get("version") != entry.get("version"):
            return f"{NOT_INSTALLED} ({name} differs)"
    return None


class NodePeer:
    """One running peer process. Start it with :meth:`start`; stop it with :meth:`close`."""

    def __init__(self, process: subprocess.Popen[str], stderr: IO[str], workdir: Path) -> None:
        self._process = process
        self._stderr = stderr
        self._workdir = workdir
        self._responses: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._next_id = 0
        reader = threading.Thread(target=self._read, name="node-peer-reader", daemon=True)
        reader.start()

    @classmethod
    def start(
        cls,
        contexts: Mapping[str, Any] | None = None,
        documents: Mapping[str, Any] | None = None,
        cpu: int | None = None,
    ) -> NodePeer:
        """Start ``node peer.mjs``.

        ``contexts`` (URL -> JSON-LD context) adds contexts the npm packages lack, such as
        the W3C examples context or microcred's extension context; it may not replace one
        the packages have. ``documents`` (URL -> JSON) adds controller documents (e.g. the
        OBv3 vector's issuer). ``cpu`` pins the process to one CPU (Linux), for benchmarks.
        """
        problem = installation_problem()
        if problem:
            raise PeerError(problem)
        workdir = Path(tempfile.mkdtemp(prefix="microcred-node-peer-"))
        args = ["node", str(PEER_SCRIPT)]
        for flag, mapping in (("--contexts", contexts), ("--documents", documents)):
            if mapping:
                path = workdir / f"{flag[2:]}.json"
                path.write_text(json.dumps(mapping), encoding="utf-8")
                args += [flag, str(path)]
        env = dict(os.environ)
        # One libuv worker: nothing the peer does should run on more than one core.
        env["UV_THREADPOOL_SIZE"] = "1"
        stderr = (workdir / "stderr.txt").open("w+", encoding="utf-8")

        def pin() -> None:  # pragma: no cover - runs in the child
            if cpu is not None:
                os.sched_setaffinity(0, {cpu})

        process = subprocess.Popen(
            args,
            cwd=PEER_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
            bufsize=1,
            env=env,
            preexec_fn=pin if cpu is not None else None,
        )
        return cls(process, stderr, workdir)

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self._responses.put(line)
        self._responses.put(None)  # end of output: the process exited

    def _stderr_text(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()[-4000:]

    def request(self, op: str, timeout: float = DEFAULT_TIMEOUT, **fields: Any) -> dict[str, Any]:
        """Send one request and return its response; raise :class:`PeerError` on ``ok: false``."""
        with self._lock:
            self._next_id += 1
            request_id = self._next_id
            line = json.dumps({"op": op, "id": request_id, **fields})
            assert self._process.stdin is not None
            try:
                self._process.stdin.write(line + "\n")
                self._process.stdin.flush()
            except BrokenPipeError as error:
                raise PeerError(f"the peer has exited: {self._stderr_text()}") from error
            try:
                answer = self._responses.get(timeout=timeout)
            except queue.Empty:
                raise PeerError(f"the peer did not answer {op!r} within {timeout} s") from None
            if answer is None:
                self._responses.put(None)
                raise PeerError(f"the peer has exited: {self._stderr_text()}")
        response: dict[str, Any] = json.loads(answer)
        if response.get("id") != request_id:
            raise PeerError(f"out-of-order response {response.get('id')} to {request_id}")
        if not response.get("ok"):
            raise PeerError(f"{op}: {response.get('error')}")
        return response

    # --- operations ------------------------------------------------------------------

    def verify(
        self,
        credential: Mapping[str, Any],
        check: str = "credential",
        documents: Mapping[str, Any] | None = None,
        now: str | None = None,
    ) -> tuple[bool, str]:
        """``(verified, error)``. ``check="credential"`` runs ``vc.verifyCredential`` (the
        proof, issuer = key controller, validity dates); ``check="proof"`` the proof alone."""
        fields: dict[str, Any] = {"credential": credential, "check": check}
        if documents:
            fields["documents"] = documents
        if now is not None:
            fields["now"] = now
        response = self.request("verify", **fields)
        return bool(response["verified"]), str(response.get("error", ""))

    def sign(
        self,
        credential: Mapping[str, Any],
        suite: str = "eddsa-rdfc-2022",
        *,
        seed: bytes | None = None,
        secret_key_multibase: str | None = None,
        created: str | None = None,
        verification_method: str | None = None,
    ) -> dict[str, Any]:
        """The credential issued by ``vc.issue`` with a Data Integrity proof of ``suite``.

        The key is an Ed25519 seed or a ``secretKeyMultibase``; the verification method
        defaults to the key's ``did:key`` (``did:key:z6Mk...#z6Mk...``).
        """
        response = self.request(
            "sign",
            credential=credential,
            suite=suite,
            **_key_fields(seed, secret_key_multibase),
            **_optional(created=created, verificationMethod=verification_method),
        )
        signed: dict[str, Any] = response["credential"]
        return signed

    def bench(
        self,
        kind: str,
        suite: str,
        credential: Mapping[str, Any],
        n: int,
        *,
        seed: bytes | None = None,
        secret_key_multibase: str | None = None,
        created: str | None = None,
        warmup: int | None = None,
        timeout: float = 600.0,
    ) -> dict[str, Any]:
        """Time ``n`` signs (of ``credential``) or verifies (of the signed ``credential``)
        inside Node, one after another on one thread: ``{"per_second", "seconds", "n"}``."""
        key = _key_fields(seed, secret_key_multibase) if kind == "sign" else {}
        response = self.request(
            "bench",
            timeout=timeout,
            kind=kind,
            suite=suite,
            credential=credential,
            n=n,
            **key,
            **_optional(created=created, warmup=warmup),
        )
        return {k: v for k, v in response.items() if k not in ("id", "ok")}

    def sign_presentation(
        self,
        presentation: Mapping[str, Any],
        suite: str,
        *,
        seed: bytes,
        challenge: str,
        domain: str | None = None,
        created: str | None = None,
    ) -> dict[str, Any]:
        """The presentation signed by ``vc.signPresentation`` (holder: the seed's did:key)
        with an ``authentication`` proof of ``suite`` (``Ed25519Signature2020`` too)."""
        response = self.request(
            "signPresentation",
            presentation=presentation,
            suite=suite,
            seed=seed.hex(),
            challenge=challenge,
            **_optional(domain=domain, created=created),
        )
        signed: dict[str, Any] = response["presentation"]
        return signed

    def verify_presentation(
        self,
        presentation: Mapping[str, Any],
        *,
        challenge: str,
        domain: str | None = None,
        now: str | None = None,
    ) -> tuple[bool, str]:
        """``(verified, error)`` of ``vc.verifyPresentation``: the holder's proof over the
        challenge and domain, and every credential inside."""
        response = self.request(
            "verifyPresentation",
            presentation=presentation,
            challenge=challenge,
            **_optional(domain=domain, now=now),
        )
        return bool(response["verified"]), str(response.get("error", ""))

    def canonize(self, document: Any, safe: bool | None = None) -> str:
        """RDFC-1.0 canonical N-Quads as eddsa-rdfc-2022 computes them (jsonld.js toRDF, then
        rdf-canonize). ``safe`` (jsonld.js's default here) refuses dropped terms."""
        response = self.request("canonize", document=document, **_optional(safe=safe))
        return str(response["nquads"])

    def load(self, url: str) -> Any:
        """What the peer's document loader returns for ``url`` (or :class:`PeerError`)."""
        return self.request("load", url=url)["document"]

    def versions(self) -> dict[str, Any]:
        """Node's and the installed packages' versions, and the contexts the loader serves."""
        response = self.request("versions")
        return {"versions": response["versions"], "contexts": response["contexts"]}

    def close(self) -> None:
        """Close stdin (the peer exits at end of input) and wait; kill it if it hangs."""
        if self._process.stdin and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._stderr.close()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> NodePeer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _key_fields(seed: bytes | None, secret_key_multibase: str | None) -> dict[str, str]:
    if (seed is None) == (secret_key_multibase is None):
        raise ValueError("give exactly one of seed and secret_key_multibase")
    if seed is not None:
        return {"seed": seed.hex()}
    assert secret_key_multibase is not None
    return {"secretKeyMultibase": secret_key_multibase}


def _optional(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}
