"""What every robustness test asserts about one run of the command line on hostile input (issue #10).

:func:`run_checked` runs ``main(argv)`` in this interpreter with stdout and stderr captured and holds the
promises of the issue: the exit code is one of the documented set and never 70 (our own bug); nothing on stderr
looks like a traceback; on exit 2 the output directory is exactly as it was; nothing else under the test's root
directory changed, and no temporary file was left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
import stat
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from avetmiss_finalise.cli import EXIT_INTERNAL, main
from avetmiss_finalise.staging import TEMP_PREFIX

__all__ = ["Run", "run_checked", "snapshot"]

#: Codes a hostile input may give: clean, findings, bad input. Never 70 (internal error).
DOCUMENTED = frozenset({0, 1, 2})


@attrs.frozen
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (not following links): its kind and, for files, a hash of the bytes."""
    seen: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [*dirnames, *filenames]:
            p = Path(dirpath) / name
            st = p.lstat()
            if stat.S_ISREG(st.st_mode):
                seen[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
            elif stat.S_ISLNK(st.st_mode):
                seen[str(p.relative_to(root))] = "link:" + os.readlink(p)
            else:
                seen[str(p.relative_to(root))] = f"mode:{stat.S_IFMT(st.st_mode)}"
    return seen


class Hang(BaseException):
    """The run did not finish in time (a FIFO waited on, a quadratic loop): a failure, not a skip. A BaseException,
    so that no ``except Exception`` on the way can turn it into an ordinary error message."""


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail a run that hangs (``SIGALRM``; main thread only, elsewhere unguarded)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def hang(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _under(key: str, directory: Path | None, root: Path) -> bool:
    if directory is None:
        return False
    rel = os.path.relpath(directory, root)
    return key == rel or key.startswith(rel + os.sep)


def run_checked(
    argv: Sequence[str],
    root: Path,
    *,
    out_dir: Path | None = None,
    codes: frozenset[int] = DOCUMENTED,
    expect: Sequence[str] = (),
    timeout: int = 60,
    temp_left: bool = False,
) -> Run:
    """Run the command line on ``argv`` and assert the robustness promises (see the module docstring).

    ``out_dir`` is the directory the command may write to (its contents must be unchanged on exit 2); every other
    path under ``root`` must be unchanged whatever the outcome. ``expect``: words the output must hold (the
    located Issue or the one clear line). ``temp_left``: staged temporary files may be there already (after a
    ``kill -9``).
    """
    before = snapshot(root)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _deadline(timeout):
        code = main(list(argv))
    run = Run(code, out.getvalue(), err.getvalue())
    assert code != EXIT_INTERNAL, f"internal error on {argv}: {run.err}"
    assert code in codes, f"exit {code} not in {sorted(codes)} for {argv}: {run.err[-500:]}"
    assert "Traceback" not in run.err, run.err
    after = snapshot(root)
    outside_before = {k: v for k, v in before.items() if not _under(k, out_dir, root)}
    outside_after = {k: v for k, v in after.items() if not _under(k, out_dir, root)}
    assert outside_after == outside_before, f"{argv} touched paths outside its output directory"
    if code == 2 and out_dir is not None:
        inside_before = {k: v for k, v in before.items() if _under(k, out_dir, root)}
        inside_after = {k: v for k, v in after.items() if _under(k, out_dir, root)}
        assert inside_after == inside_before, f"{argv} failed but changed its output directory"
    if not temp_left:
        assert not [k for k in after if os.path.basename(k).startswith(TEMP_PREFIX)], "a temporary file was left"
    assert len(run.err) < 50_000, f"stderr of {len(run.err):,} characters: messages must be short, values cut"
    for words in expect:
        assert words in run.text, f"{words!r} not in the output of {argv}: {run.text[-800:]}"
    return run
