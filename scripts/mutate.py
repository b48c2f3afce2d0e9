"""Mutation testing for avetmiss-finalise: a small AST mutator of our own (no network, no extra dependency).

    python3 scripts/mutate.py avetmiss_finalise/outcomes avetmiss_finalise/transition
    python3 scripts/mutate.py avetmiss_finalise/validation --sample 150 --seed 1
    python3 scripts/mutate.py avetmiss_finalise/transition/_cap.py --list

Why our own: mutmut and cosmic-ray rewrite files on disk and drive a subprocess per mutant (seconds of pandas
import each); this tool never touches the checkout. It imports the heavy third-party libraries once, then forks
one child per mutant; the child drops the project's modules, serves the mutated source of the one module from an
import hook, and runs pytest in-process on the tests that *execute the mutated lines* (found by one traced run of
the test subset beforehand, fastest tests first, ``-x``). Hypothesis runs derandomized (the same examples every
run, so the line coverage holds and scores are reproducible) with ``--max-examples`` examples (default 25, the
``dev`` profile's number).

Operators: comparison flips (``<``↔``<=``, ``>``↔``>=``, ``==``↔``!=``, ``is``↔``is not``, ``in``↔``not in``),
``and``↔``or``, ``not x`` → ``x``, ``+``↔``-``, constants (ints ±1, ``True``↔``False``, code-like strings renamed:
strings with a space are messages, whose wording is not behaviour), removal of one element of a set/tuple/list
literal, and deletion of a ``return``/``raise``/call statement. Not mutated: docstrings, annotations, f-strings,
``assert`` statements, ``__all__``, ``if TYPE_CHECKING`` blocks and lines marked ``# pragma: no mutate``.

A mutant is *killed* when a test fails (or the mutated module fails to import, or it runs past ``--timeout``),
*survived* when the tests that run its line pass, *not covered* (a survivor) when no test runs its line.
``scripts/mutate_equivalent.txt`` lists mutants that cannot change behaviour (``key | reason``); they are left
out of the score, which is killed / (all - equivalent). Exit status: 0 when every package scores at least
``--fail-under`` (default 0), else 1.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import importlib.abc
import importlib.util
import json
import os
import random
import signal
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT = ROOT / "scripts" / "mutate_equivalent.txt"
#: Source package → the tests that judge its mutants (test_agreement*.py files are added when present).
DEFAULT_TESTS = {
    "avetmiss_finalise/outcomes": ["tests/outcomes", "tests/transition"],
    "avetmiss_finalise/transition": ["tests/transition"],
    "avetmiss_finalise/validation": ["tests/validation"],
}
_FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
_TYPING = {"Literal", "Callable", "Mapping", "Sequence", "Iterable", "Iterator", "tuple", "list", "dict", "type"}
_PYTEST = ["-q", "-x", "-o", "addopts=", "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:randomly"]


@dataclass
class Mutant:
    path: str  # relative to ROOT
    module: str
    qualname: str
    line: int
    end_line: int
    desc: str
    start: int  # byte offsets into the source
    end: int
    replacement: str
    in_function: bool
    #: First line of the innermost statement holding the mutated node: an element of a tuple constant folded into
    #: that statement (``for x in ("a", "b"):`` over several lines) gets no line event of its own.
    stmt_line: int = 0
    key: str = ""
    status: str = ""
    killer: str = ""
    tests: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- generating mutants


def _snippet(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 70 else text[:67] + "..."


class _Collector(ast.NodeVisitor):
    def __init__(self, path: str, module: str, source: bytes) -> None:
        self.path, self.module, self.source = path, module, source
        self.offsets = [0]
        for line in source.splitlines(keepends=True):
            self.offsets.append(self.offsets[-1] + len(line))
        self.lines = source.decode("utf-8").splitlines()
        self.stack: list[str] = []
        self.in_function = False
        self.mutants: list[Mutant] = []
        self.last_returns: set[int] = set()
        self.stmt_line = 0

    def visit(self, node: ast.AST) -> Any:
        if not isinstance(node, ast.stmt):
            return super().visit(node)
        outer, self.stmt_line = self.stmt_line, node.lineno
        try:
            return super().visit(node)
        finally:
            self.stmt_line = outer

    def _span(self, node: Any) -> tuple[int, int]:
        return self.offsets[node.lineno - 1] + node.col_offset, self.offsets[node.end_lineno - 1] + node.end_col_offset

    def _add(self, node: Any, desc: str, replacement: str) -> None:
        if any("pragma: no mutate" in self.lines[i - 1] for i in range(node.lineno, node.end_lineno + 1)):
            return
        start, end = self._span(node)
        self.mutants.append(
            Mutant(
                path=self.path,
                module=self.module,
                qualname=".".join(self.stack) or "<module>",
                line=node.lineno,
                end_line=node.end_lineno,
                desc=desc,
                start=start,
                end=end,
                replacement=replacement,
                in_function=self.in_function,
                stmt_line=self.stmt_line or node.lineno,
            )
        )

    def _expr(self, node: ast.expr, new: ast.expr, desc: str) -> None:
        self._add(node, f"{desc} in ({_snippet(node)})", f"({ast.unparse(new)})")

    # skipped subtrees
    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return

    def visit_Assert(self, node: ast.Assert) -> None:
        return

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Name) and node.value.id in _TYPING:
            return
        self.visit(node.value)
        if isinstance(node.slice, ast.Tuple):  # x[a, b]: indexing, not a collection literal
            for elt in node.slice.elts:
                self.visit(elt)
        else:
            self.visit(node.slice)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            return
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def _body(self, body: list[ast.stmt]) -> None:
        for i, stmt in enumerate(body):
            if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # docstring
            self.visit(stmt)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for dec in node.decorator_list:
            self.visit(dec)
        for default in (*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)):
            self.visit(default)
        last = node.body[-1]
        if isinstance(last, ast.Return) and isinstance(last.value, ast.Constant) and last.value.value is None:
            self.last_returns.add(id(last))  # deleting a final "return None" changes nothing
        self.stack.append(node.name)
        was, self.in_function = self.in_function, True
        self._body(node.body)
        self.in_function = was
        self.stack.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for dec in node.decorator_list:
            self.visit(dec)
        self.stack.append(node.name)
        self._body(node.body)
        self.stack.pop()

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        was, self.in_function = self.in_function, True
        self.visit(node.body)
        self.in_function = was

    # operators
    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            flipped = _FLIPS.get(type(op))
            if flipped is None:
                continue
            new = copy.deepcopy(node)
            new.ops[i] = flipped()
            self._expr(node, new, f"'{_SYMBOL[type(op)]}' -> '{_SYMBOL[flipped]}'")
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other: ast.boolop = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        names = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        self._expr(node, ast.BoolOp(op=other, values=node.values), f"'{names[0]}' -> '{names[1]}'")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._expr(node, node.operand, "'not' removed")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        textual = any(
            isinstance(side, ast.JoinedStr) or (isinstance(side, ast.Constant) and isinstance(side.value, str))
            for side in (node.left, node.right)
        )
        if isinstance(node.op, ast.Add | ast.Sub) and not textual:
            op: ast.operator = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
            names = ("+", "-") if isinstance(node.op, ast.Add) else ("-", "+")
            self._expr(node, ast.BinOp(left=node.left, op=op, right=node.right), f"'{names[0]}' -> '{names[1]}'")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        v = node.value
        if isinstance(v, bool):
            self._expr(node, ast.Constant(not v), f"{v} -> {not v}")
        elif isinstance(v, int):
            self._expr(node, ast.Constant(v + 1), f"{v} -> {v + 1}")
            if v > 0:
                self._expr(node, ast.Constant(v - 1), f"{v} -> {v - 1}")
        elif isinstance(v, str) and " " not in v and len(v) <= 40:
            self._expr(node, ast.Constant(f"{v}_MUT"), f"{v!r} renamed")

    def _collection(self, node: ast.Tuple | ast.List | ast.Set) -> None:
        if not isinstance(node, ast.Set) and not isinstance(node.ctx, ast.Load):
            return
        for i in range(len(node.elts)):
            new = copy.deepcopy(node)
            removed = new.elts.pop(i)
            if isinstance(removed, ast.Starred):
                continue
            self._expr(node, new, f"element {_snippet(removed)} removed")
        self.generic_visit(node)

    visit_Tuple = _collection
    visit_List = _collection
    visit_Set = _collection

    def _delete(self, node: ast.stmt, what: str) -> None:
        self._add(node, f"{what} deleted ({_snippet(node)})", "pass")

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and id(node) not in self.last_returns:
            self._delete(node, "return")
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        self._delete(node, "raise")
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call):
            self._delete(node, "call")
        self.generic_visit(node)


def _module_name(rel: str) -> str:
    parts = list(Path(rel).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def apply(source: bytes, m: Mutant) -> bytes:
    return source[: m.start] + m.replacement.encode("utf-8") + source[m.end :]


def mutants_of(path: Path) -> list[Mutant]:
    rel = path.resolve().relative_to(ROOT).as_posix()
    source = path.read_bytes()
    tree = ast.parse(source)
    collector = _Collector(rel, _module_name(rel), source)
    collector.visit(tree)
    original = ast.dump(tree)
    out, seen = [], defaultdict(int)
    for m in collector.mutants:
        try:
            mutated = ast.parse(apply(source, m))
        except SyntaxError:
            continue
        if ast.dump(mutated) == original:
            continue
        base = f"{m.path}:{m.qualname}: {m.desc}"
        seen[base] += 1
        m.key = base if seen[base] == 1 else f"{base} #{seen[base]}"
        out.append(m)
    return out


def source_files(targets: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for t in targets:
        p = (ROOT / t).resolve()
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return files


def tests_for(path: str, override: list[str] | None) -> list[str]:
    if override:
        return override
    for package, tests in DEFAULT_TESTS.items():
        if path.startswith(package + "/"):
            extra = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("tests/test_agreement*.py"))
            return [*tests, *extra] if package.endswith("outcomes") else tests
    raise SystemExit(f"no default tests for {path}: give --tests")


def load_equivalent() -> dict[str, str]:
    if not EQUIVALENT.exists():
        return {}
    out = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, reason = line.partition(" | ")
            out[key.strip()] = reason.strip()
    return out


# ---------------------------------------------------------------- running tests in forked children
#
# Two engines. A mutant inside a function body is applied by swapping that function's code object for the mutated
# one (found by ``co_qualname`` in the compiled mutated module): every reference to the function, however it was
# imported or stored, runs the mutant, and the tests collected once in the parent run in a forked child. A
# module-level mutant (a constant, a set, a table) is applied by re-importing: the child drops the project's and
# the tests' modules, an import hook serves the mutated source, and pytest runs afresh in the child.


class _MutatedLoader(importlib.abc.Loader):
    def __init__(self, path: str, source: bytes) -> None:
        self.path, self.source = path, source

    def exec_module(self, module: ModuleType) -> None:
        exec(compile(self.source, self.path, "exec"), module.__dict__)


class _MutatedFinder(importlib.abc.MetaPathFinder):
    def __init__(self, name: str, path: str, source: bytes) -> None:
        self.name, self.path, self.source = name, path, source

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        package = self.path.endswith("__init__.py")
        return importlib.util.spec_from_file_location(
            fullname,
            self.path,
            loader=_MutatedLoader(self.path, self.source),
            submodule_search_locations=[str(Path(self.path).parent)] if package else None,
        )


class _FirstFailure:
    def __init__(self, out: str) -> None:
        self.out, self.done = out, False

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed and not self.done:
            self.done = True
            Path(self.out).write_text(report.nodeid, encoding="utf-8")


def _purge() -> None:
    for name in list(sys.modules):
        if name == "avetmiss_finalise" or name.startswith(("avetmiss_finalise.", "tests.")) or name == "tests":
            del sys.modules[name]


def _wait(pid: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "passed" if os.waitstatus_to_exitcode(status) == 0 else "failed"
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.01)


def _fork() -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    return pid


def run_reimported(args: list[str], finder: _MutatedFinder, killer: str, timeout: float) -> str:
    """'passed', 'failed' or 'timeout': pytest afresh in a child, the mutated module served by ``finder``."""
    import pytest

    pid = _fork()
    if pid == 0:  # the child
        code = 99
        try:
            _purge()
            sys.meta_path.insert(0, finder)
            code = int(pytest.main([*_PYTEST, *args], plugins=[_FirstFailure(killer)]))
        finally:
            os._exit(code)
    return _wait(pid, timeout)


def _function(module: ModuleType, qualname: str) -> Any:
    """The function object ``qualname`` names in ``module`` (methods and properties unwrapped), or None."""
    obj: Any = module
    for part in qualname.split("."):
        obj = obj.__dict__.get(part) if hasattr(obj, "__dict__") else None
        if obj is None:
            return None
        if isinstance(obj, property):
            obj = obj.fget
        elif isinstance(obj, staticmethod | classmethod):
            obj = obj.__func__
        if callable(obj) and hasattr(obj, "__code__"):
            return obj
    return None


def _code(code: Any, qualname: str) -> Any:
    if code.co_qualname == qualname:
        return code
    for const in code.co_consts:
        if hasattr(const, "co_qualname") and (found := _code(const, qualname)) is not None:
            return found
    return None


def swap_target(m: Mutant, source: bytes) -> tuple[Any, Any] | None:
    """(function, mutated code) for an in-function mutant, or None when it must be re-imported instead."""
    module = sys.modules.get(m.module)
    if module is None or not m.in_function:
        return None
    parts = m.qualname.split(".")
    for n in range(1, len(parts) + 1):  # the outermost function on the path holds any nested code
        func = _function(module, ".".join(parts[:n]))
        if func is not None:
            code = _code(compile(apply(source, m), str(ROOT / m.path), "exec"), func.__code__.co_qualname)
            if code is None or code.co_freevars != func.__code__.co_freevars:
                return None
            return func, code
    return None


class Driver:
    """A pytest plugin that takes over the run loop: trace once, then one forked child per mutant."""

    def __init__(self, mutants: list[Mutant], timeout: float | None, verbose: bool, progress: list[int]) -> None:
        self.mutants, self.timeout, self.verbose, self.progress = mutants, timeout, verbose, progress
        self.files = {str(ROOT / m.path) for m in mutants}
        self.current = ""
        self.hits: dict[str, set[tuple[str, int]]] = defaultdict(set)
        self.error = ""
        self.pending: list[Mutant] = []
        self.durations: dict[str, float] = {}

    def _global(self, frame: Any, event: str, arg: Any) -> Any:
        return self._local if frame.f_code.co_filename in self.files else None

    def _local(self, frame: Any, event: str, arg: Any) -> Any:
        if event == "line" and self.current:
            self.hits[self.current].add((frame.f_code.co_filename, frame.f_lineno))
        return self._local

    @staticmethod
    def _run(items: list[Any], killer: str) -> int:
        from _pytest.runner import runtestprotocol

        for i, item in enumerate(items):
            nextitem = items[i + 1] if i + 1 < len(items) else None
            if any(r.failed for r in runtestprotocol(item, nextitem=nextitem, log=False)):
                Path(killer).write_text(item.nodeid, encoding="utf-8")
                return 1
        return 0

    def _trace(self, items: list[Any], out: Path) -> None:
        from _pytest.runner import runtestprotocol

        durations, failed = {}, []
        for i, item in enumerate(items):
            self.current = item.nodeid
            started = time.perf_counter()
            sys.settrace(self._global)
            reports = runtestprotocol(item, nextitem=items[i + 1] if i + 1 < len(items) else None, log=False)
            sys.settrace(None)
            durations[item.nodeid] = time.perf_counter() - started
            if any(r.failed for r in reports):
                failed.append(item.nodeid)
        hits = {k: sorted(v) for k, v in self.hits.items()}
        out.write_text(json.dumps({"hits": hits, "durations": durations, "failed": failed}))

    def pytest_runtestloop(self, session: Any) -> bool:
        items = list(session.items)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "trace.json"
            pid = _fork()
            if pid == 0:
                try:
                    self._trace(items, out)
                finally:
                    os._exit(0)
            _wait(pid, 3600)
            data = json.loads(out.read_text()) if out.exists() else {"failed": ["(the traced run crashed)"]}
        if data["failed"]:
            self.error = "the unmutated tests fail: " + ", ".join(data["failed"][:5])
            return True
        hits = {k: {(f, n) for f, n in v} for k, v in data["hits"].items()}
        durations: dict[str, float] = data["durations"]
        self.durations = durations
        by_id = {item.nodeid: item for item in sorted(items, key=lambda it: durations.get(it.nodeid, 0.0))}
        sources = {m.path: (ROOT / m.path).read_bytes() for m in self.mutants}
        for m in self.mutants:
            absolute = str(ROOT / m.path)
            span = {(absolute, n) for n in range(min(m.stmt_line or m.line, m.line), m.end_line + 1)}
            selected = list(by_id) if not m.in_function else [t for t in by_id if hits.get(t, set()) & span]
            m.tests = selected
            swap = swap_target(m, sources[m.path])
            if not selected:
                m.status = "not covered"
            elif swap is None:
                self.pending.append(m)  # re-imported after the session
                continue
            else:
                func, code = swap
                limit = self.timeout or 10 + 5 * sum(durations.get(t, 0.0) for t in selected)
                with tempfile.NamedTemporaryFile("r", suffix=".txt") as killer:
                    pid = _fork()
                    if pid == 0:
                        status = 99
                        try:
                            func.__code__ = code
                            status = self._run([by_id[t] for t in selected], killer.name)
                        finally:
                            os._exit(status)
                    result = _wait(pid, limit)
                    m.status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[result]
                    m.killer = Path(killer.name).read_text(encoding="utf-8")
            _progress(m, self.progress, self.verbose)
        return True


def _progress(m: Mutant, progress: list[int], verbose: bool) -> None:
    progress[0] += 1
    if verbose:
        print(
            f"[{progress[0]}/{progress[1]}] {m.status:11} {m.path}:{m.line}: {m.desc}", file=sys.__stdout__, flush=True
        )


def run_mutants(
    mutants: list[Mutant], tests: list[str], timeout: float | None, verbose: bool, progress: list[int]
) -> None:
    import pytest

    driver = Driver(mutants, timeout, verbose, progress)
    code = pytest.main([*_PYTEST[2:], "-p", "no:terminal", *tests], plugins=[driver])
    if driver.error or code not in (0, 5):
        raise SystemExit(driver.error or f"pytest could not collect {' '.join(tests)} (exit {code})")
    sources = {m.path: (ROOT / m.path).read_bytes() for m in driver.pending}
    for m in driver.pending:
        limit = timeout or 20 + 5 * sum(driver.durations.get(t, 0.0) for t in m.tests)
        with tempfile.NamedTemporaryFile("r", suffix=".txt") as killer:
            finder = _MutatedFinder(m.module, str(ROOT / m.path), apply(sources[m.path], m))
            result = run_reimported(m.tests, finder, killer.name, limit)
            m.status = {"passed": "survived", "failed": "killed", "timeout": "timeout"}[result]
            m.killer = Path(killer.name).read_text(encoding="utf-8")
        _progress(m, progress, verbose)


# ---------------------------------------------------------------- report


def _score(ms: list[Mutant]) -> tuple[int, int, float]:
    counted = [m for m in ms if m.status != "equivalent"]
    killed = sum(1 for m in counted if m.status in ("killed", "timeout"))
    return killed, len(counted), (100.0 * killed / len(counted) if counted else 100.0)


def report(mutants: list[Mutant], stale: list[str]) -> dict[str, float]:
    by_file: dict[str, list[Mutant]] = defaultdict(list)
    by_package: dict[str, list[Mutant]] = defaultdict(list)
    for m in mutants:
        by_file[m.path].append(m)
        by_package[str(Path(m.path).parent)].append(m)
    print(f"\n{'module':58} {'mutants':>7} {'equiv':>5} {'killed':>6} {'surv':>5} {'score':>6}")
    for path, ms in sorted(by_file.items()):
        killed, counted, score = _score(ms)
        equiv = sum(1 for m in ms if m.status == "equivalent")
        print(f"{path:58} {len(ms):7} {equiv:5} {killed:6} {counted - killed:5} {score:5.1f}%")
    scores = {}
    print()
    for package, ms in sorted(by_package.items()):
        killed, counted, score = _score(ms)
        scores[package] = score
        print(f"{package}: {killed}/{counted} non-equivalent mutants killed = {score:.1f}%")
    survivors = [m for m in mutants if m.status in ("survived", "not covered")]
    if survivors:
        print("\nsurvivors (key for scripts/mutate_equivalent.txt after the line number):")
        for m in survivors:
            tag = " [not covered]" if m.status == "not covered" else ""
            print(f"  {m.path}:{m.line}{tag}  {m.key}")
    for key in stale:
        print(f"warning: mutate_equivalent.txt names no current mutant: {key}")
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", default=["avetmiss_finalise/outcomes", "avetmiss_finalise/transition"])
    parser.add_argument("--tests", nargs="+", help="test paths for every target (default: per package)")
    parser.add_argument("--sample", type=int, help="run a random sample of this many mutants per package")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--match", help="only mutants whose key contains this text")
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: 10 + 5 × its tests' time)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--json", type=Path, help="write every mutant and its status here")
    parser.add_argument("--fail-under", type=float, default=0.0)
    parser.add_argument("-v", "--verbose", action="store_true")
    opts = parser.parse_args(argv)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    equivalent = load_equivalent()
    groups: dict[tuple[str, ...], list[Mutant]] = defaultdict(list)
    all_keys: set[str] = set()
    for path in source_files(opts.targets):
        for m in mutants_of(path):
            all_keys.add(m.key)
            if opts.match and opts.match not in m.key:
                continue
            if m.key in equivalent:
                m.status = "equivalent"
            groups[tuple(tests_for(m.path, opts.tests))].append(m)
    if opts.sample:
        rng = random.Random(opts.seed)
        for tests, ms in groups.items():
            by_package: dict[str, list[Mutant]] = defaultdict(list)
            for m in ms:
                by_package[str(Path(m.path).parent)].append(m)
            groups[tests] = [m for pk in by_package.values() for m in rng.sample(pk, min(opts.sample, len(pk)))]
    mutants = [m for ms in groups.values() for m in ms]
    if opts.list:
        for m in mutants:
            print(f"{m.path}:{m.line}  {m.key}")
        print(f"{len(mutants)} mutants")
        return 0
    _preload(opts.max_examples)
    started = time.monotonic()
    progress = [0, sum(1 for m in mutants if m.status != "equivalent")]
    for tests, ms in groups.items():
        run_mutants([m for m in ms if m.status != "equivalent"], list(tests), opts.timeout, opts.verbose, progress)
    scanned = {p.resolve().relative_to(ROOT).as_posix() for p in source_files(opts.targets)}
    stale = sorted(k for k in equivalent if k not in all_keys and k.split(":", 1)[0] in scanned)
    scores = report(mutants, stale)
    print(f"\n{len(mutants)} mutants in {time.monotonic() - started:.0f} s")
    if opts.json:
        rows = [{k: v for k, v in vars(m).items() if k not in ("tests", "start", "end")} for m in mutants]
        opts.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0 if all(s >= opts.fail_under for s in scores.values()) else 1


def _preload(max_examples: int) -> None:
    """Import the heavy libraries once, before forking; the project's own modules are imported per mutant."""
    for name in ("numpy", "pandas", "pyarrow", "attrs", "cattrs", "pytest", "hypothesis"):
        with contextlib.suppress(ImportError):
            __import__(name)
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "mutate",
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    os.environ["HYPOTHESIS_PROFILE"] = "mutate"


if __name__ == "__main__":
    sys.exit(main())
