"""Pattern files: where they live, how they are read, and how a bad one is reported.

Patterns are data, kept apart from code. The shipped folder comes first; folders named by
the `NEVEXTRACT_PATTERNS` variable (os.pathsep-separated) and by the caller are added after
it. A pattern file is a YAML list of entries (or one YAML mapping, for a site profile) or
JSON Lines; every entry is validated by a pydantic model and every problem is reported as
`file:line: reason`, so a user can fix their own files without reading our code.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import regex
import yaml
from pydantic import BaseModel, ValidationError

ENV_VAR = "NEVEXTRACT_PATTERNS"
M = TypeVar("M", bound=BaseModel)


class PatternError(ValueError):
    """One or more problems in pattern files, each as `file:line: reason`."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


def shipped_dir() -> Path:
    """The shipped `patterns/` folder: inside the wheel, or beside the package in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_patterns", here.parent / "patterns"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"nevextract's shipped patterns folder is missing (looked beside {here})")


def pattern_dirs(extra: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Shipped folder, then $NEVEXTRACT_PATTERNS folders, then `extra`, without repeats."""
    dirs = [shipped_dir()]
    env = os.environ.get(ENV_VAR, "")
    named = [p for p in env.split(os.pathsep) if p.strip()] + [os.fspath(p) for p in extra]
    for name in named:
        path = Path(name).expanduser().resolve()
        if not path.is_dir():
            raise PatternError([Problem(str(path), 0, "pattern folder does not exist")])
        if path not in dirs:
            dirs.append(path)
    return dirs


# --------------------------------------------------------------------------- reading


def _yaml_lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    """Record the 1-based line of every node, keyed by its path of keys and indexes."""
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            out[(*path, k)] = key.start_mark.line + 1
            _yaml_lines(value, (*path, k), out)
            out[(*path, k)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _yaml_lines(item, (*path, i), out)


def read_yaml(file: Path) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse a YAML file and map each node's path to its line, or raise PatternError."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError([Problem(str(file), 0, f"cannot read: {exc}")]) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        reason = getattr(exc, "problem", None) or str(exc)
        raise PatternError([Problem(str(file), line, f"bad YAML: {reason}")]) from exc
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _yaml_lines(node, (), lines)
    return data, lines


def _line_for(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    """The line of the deepest known node on an error's location path."""
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return 1


def _problems(file: Path, err: ValidationError, lines: dict[tuple[Any, ...], int], base: tuple[Any, ...] = ()) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = (*base, *e["loc"])
        where = ".".join(str(x) for x in e["loc"]) or "entry"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = f"unknown key {e['loc'][-1]!r}"
            where = ".".join(str(x) for x in e["loc"][:-1]) or "entry"
        out.append(Problem(str(file), _line_for(lines, loc), f"{where}: {msg}"))
    return out


def load_entries(file: Path, model: type[M]) -> list[M]:
    """Read a YAML list or JSON Lines file of entries, each validated by `model`."""
    problems: list[Problem] = []
    entries: list[M] = []
    if file.suffix == ".jsonl":
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PatternError([Problem(str(file), 0, f"cannot read: {exc}")]) from exc
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(str(file), lineno, f"bad JSON: {exc.msg}"))
                continue
            try:
                entries.append(model.model_validate(raw))
            except ValidationError as exc:
                problems.extend(_problems(file, exc, {(): lineno}))
    else:
        data, lines = read_yaml(file)
        if data is None:
            data = []
        if not isinstance(data, list):
            raise PatternError([Problem(str(file), 1, "expected a YAML list of entries")])
        for i, raw in enumerate(data):
            try:
                entries.append(model.model_validate(raw))
            except ValidationError as exc:
                problems.extend(_problems(file, exc, lines, (i,)))
    if problems:
        raise PatternError(problems)
    return entries


def load_mapping(file: Path, model: type[M]) -> M:
    """Read a YAML file holding one mapping (a site profile), validated by `model`."""
    data, lines = read_yaml(file)
    if not isinstance(data, dict):
        raise PatternError([Problem(str(file), 1, "expected a YAML mapping")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise PatternError(_problems(file, exc, lines)) from exc


def load_all(name: str, model: type[M], dirs: Sequence[Path]) -> list[M]:
    """Entries of every `name` file across `dirs`, in order; all problems reported at once."""
    problems: list[Problem] = []
    entries: list[M] = []
    for d in dirs:
        file = d / name
        if not file.is_file():
            continue
        try:
            entries.extend(load_entries(file, model))
        except PatternError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PatternError(problems)
    return entries


# --------------------------------------------------------------------------- regexes

# A quantified group whose body can itself repeat ("(a+)+", "(\w*)*", "(a|b+){2,}") is
# the classic shape of catastrophic backtracking; user patterns with it are refused.
_NESTED_QUANTIFIER = regex.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")

# Shapes the static check cannot see ("^(a|a)*$": two ways to match each "a") are found by
# running the pattern on adversarial strings: runs of a character or a word the pattern
# expects, ended by one it does not, so the engine must try every way to split the run.
# A linear pattern finishes such a probe in microseconds; a catastrophic one not in seconds.
LINE_TIMEOUT = 0.5  # seconds a rule regex gets on one line at run time (clean/profiles.py uses it)
MAX_LINE = 5000  # longest line a rule regex runs on at run time (likewise)
_PROBE_REPEATS = 30  # a run this long takes 2**30 steps to split every way: minutes
_PROBE_BUDGET = 0.25  # seconds for all short probes of one pattern
_PROBE_END = "\x00"  # no pattern line expects a NUL: cleaning turns them into spaces
_CLASS_SAMPLES = {"d": "1", "w": "a", "s": " ", "D": "a", "W": "!", "S": "a", "p": "a", "X": "a", "h": " "}
_ESCAPE = regex.compile(r"\\(?:[pP]\{[^}]{0,40}\}|.)", regex.DOTALL)
_WORD = regex.compile(r"[^\W_]{2,}")
_DEFAULT_ATOMS = ("a", "A", "1", " ", ".", "-", "ab", "a ")
# `nevextract patterns check` also tries run-time-length lines (`thorough_regex_checks`):
# a pattern that is merely polynomial ("^.*\s.*\s.*$") is fine on 30 characters and runs
# out of time on 5,000.
_THOROUGH: ContextVar[bool] = ContextVar("nevextract_thorough_regex_checks", default=False)


@contextmanager
def thorough_regex_checks() -> Iterator[None]:
    """Within this block, `check_regex` also runs each pattern on lines of run-time length."""
    token = _THOROUGH.set(True)
    try:
        yield
    finally:
        _THOROUGH.reset(token)


def check_regex(pattern: str) -> str:
    """Compile a user-supplied regular expression, refusing ones that can backtrack badly.

    Raises ValueError with the reason; returns the pattern unchanged when it is usable."""
    _check_regex(pattern, _THOROUGH.get())
    return pattern


@lru_cache(maxsize=4096)  # every Extractor (and worker) validates the same shipped patterns
def _check_regex(pattern: str, thorough: bool) -> None:
    try:
        compiled = regex.compile(pattern, regex.IGNORECASE)
    except regex.error as exc:
        raise ValueError(f"regex {pattern!r} does not compile: {exc}") from exc
    if _NESTED_QUANTIFIER.search(pattern):
        raise ValueError(f"regex {pattern!r} nests a repeat inside a repeat and can backtrack badly")
    atoms, literals = _probe_atoms(pattern)
    deadline = time.perf_counter() + _PROBE_BUDGET
    for atom in atoms:
        probe = atom * _PROBE_REPEATS + _PROBE_END
        try:
            compiled.search(probe, timeout=max(deadline - time.perf_counter(), 0.001))
        except TimeoutError:
            raise ValueError(
                f"regex {pattern!r} backtracks catastrophically: it ran over {_PROBE_BUDGET} s on "
                f"{len(probe)} characters ({_show(probe)})"
            ) from None
    if not thorough:
        return
    # A literal the pattern needs, in the middle of the run, gets past the engine's quick
    # "is the literal there at all" test and into the backtracking.
    for atom in atoms:
        half = (MAX_LINE - 100) // (2 * len(atom))
        for needle in ("", *literals[:5]):
            probe = atom * half + needle + atom * half + _PROBE_END
            try:
                compiled.search(probe, timeout=LINE_TIMEOUT)
            except TimeoutError:
                raise ValueError(
                    f"regex {pattern!r} is too slow: it ran over the run-time limit of {LINE_TIMEOUT} s on a "
                    f"line of {len(probe):,} characters ({_show(probe)})"
                ) from None


def _probe_atoms(pattern: str) -> tuple[list[str], list[str]]:
    """What probe strings are made of: characters and words the pattern expects (atoms), and
    the literal characters and words written in it."""
    atoms: dict[str, None] = dict.fromkeys(_DEFAULT_ATOMS)
    literals: dict[str, None] = {}
    for m in _ESCAPE.finditer(pattern):
        ch = m.group(0)[1]
        atoms.setdefault(_CLASS_SAMPLES.get(ch, ch if not ch.isalnum() else "a"))
    plain = _ESCAPE.sub(" ", pattern)
    for ch in plain:
        if ch not in "()[]{}?*+|^$.\\ " and ch.isprintable():
            atoms.setdefault(ch)
            literals.setdefault(ch)
    for word in _WORD.findall(plain)[:20]:
        atoms.setdefault(word)
        atoms.setdefault(word + " ")
        literals.setdefault(word)
    return list(atoms), list(reversed(literals))  # words first: they say most


def _show(probe: str) -> str:
    return f"{probe[:12]!r}… ending in {probe[-1]!r}"
