"""``_nat_meta.json``, the sidecar of ``convert``'s CSV files: written from a collection, read back only if valid.

The sidecar holds what CSV cannot (line endings, BOM, final newline, short records' lengths, mixed terminators,
whether ``--csv-safe`` quoted the cells) and the name each NAT file is written back under. It sits in a folder
people edit, so it is untrusted input: before anything is converted every key and value is checked
(:func:`sidecar_problems`; there is no separate JSON Schema file) with every problem located
(``files.NAT00120.bom: expected true or false, got "false"``). In particular a ``name`` must be a plain NAT file
name *of its own file* (``NAT00085.txt`` cannot receive NAT00120's records; ``../x`` is refused), and lengths must
fit a record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from avetmiss_finalise.errors import UnreadableInputError, UsageError
from avetmiss_finalise.inputs import read_regular
from avetmiss_finalise.jsonload import InvalidJSONError, load_json, shown
from avetmiss_finalise.limits import Limits
from avetmiss_finalise.nat.collection import Collection, FileMeta
from avetmiss_finalise.nat.layouts import FILE_IDS
from avetmiss_finalise.nat.read import file_id_of
from avetmiss_finalise.profiles import PROFILE_NAMES
from avetmiss_finalise.staging import check_name

__all__ = ["META_NAME", "Sidecar", "read_sidecar", "sidecar_bytes", "sidecar_problems"]

#: The sidecar's file name (beside the CSV files).
META_NAME = "_nat_meta.json"
_TOP_KEYS = {"profile": True, "files": True, "csv_safe": False}  # key → required
_FILE_KEYS = {"name": True, "line_ending": True, "bom": True, "final_newline": True, "record_lengths": False}
_FILE_KEYS |= {"crlf": False}


@attrs.frozen(kw_only=True)
class Sidecar:
    """A valid sidecar: the profile, the files converted (file id → how it was laid out), ``--csv-safe``."""

    profile: str
    files: Mapping[str, FileMeta]
    csv_safe: bool = False


def sidecar_bytes(coll: Collection, *, csv_safe: bool) -> bytes:
    """The sidecar of ``coll``'s CSV files (every file listed: CSV → NAT converts exactly these)."""
    files: dict[str, Any] = {}
    for fid in coll.frames:
        meta = coll.meta.get(fid) or FileMeta(file_id=fid, name=f"{fid}.txt")
        files[fid] = {
            "name": meta.name,
            "line_ending": meta.line_ending,
            "bom": meta.bom,
            "final_newline": meta.final_newline,
            "record_lengths": None if meta.record_lengths is None else meta.record_lengths.tolist(),
            "crlf": None if meta.crlf is None else meta.crlf.tolist(),
        }
    doc = {"profile": coll.profile.name, "csv_safe": csv_safe, "files": files}
    return json.dumps(doc, indent=1).encode("utf-8")


def _show(value: object) -> str:
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return json.dumps(value) if isinstance(value, int | float | bool | None) else type(value).__name__


def _keys(obj: dict[str, Any], spec: dict[str, bool], where: str) -> list[str]:
    problems = [
        f"{where}.{k}: required key missing".lstrip(".") for k, required in spec.items() if required and k not in obj
    ]
    unknown = sorted(k for k in obj if k not in spec)
    if unknown:
        problems.append(f"{where or '(top level)'}: unknown keys: {', '.join(shown(k) for k in unknown)}")
    return problems


def _array(value: object, where: str, kind: str, limits: Limits) -> list[str]:
    """``null`` or an array of ``kind`` ("length": whole numbers within a record, "flag": true/false)."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [f"{where}: expected null or an array, got {_show(value)}"]
    if len(value) > limits.max_records:
        return [f"{where}: {len(value):,} entries, more than the {limits.max_records:,} records a file may hold"]
    if kind == "flag":
        bad = next((i for i, v in enumerate(value) if not isinstance(v, bool)), None)
        return [] if bad is None else [f"{where}[{bad}]: expected true or false, got {_show(value[bad])}"]
    bad = next((i for i, v in enumerate(value) if isinstance(v, bool) or not isinstance(v, int)), None)
    if bad is None and value:
        arr = np.asarray(value, dtype=object)
        out = (arr < 0) | (arr > limits.max_record_length)
        bad = int(np.argmax(out)) if bool(out.any()) else None
    if bad is None:
        return []
    return [f"{where}[{bad}]: expected a record length from 0 to {limits.max_record_length:,}, got {_show(value[bad])}"]


def _file_problems(fid: str, info: object, where: str, limits: Limits) -> list[str]:
    if not isinstance(info, dict):
        return [f"{where}: expected an object, got {_show(info)}"]
    problems = _keys(info, _FILE_KEYS, where)
    name = info.get("name")
    if "name" in info:
        if not isinstance(name, str):
            problems.append(f"{where}.name: expected a file name, got {_show(name)}")
        else:
            try:
                check_name(name)
                named = file_id_of(name)
            except UsageError:
                named = None
            if named != fid:
                what = f"the name of {named}" if named else "not a NAT file name in this folder"
                problems.append(f"{where}.name: {shown(name)} is {what}, not a name of {fid} (e.g. {fid}.txt)")
    if "line_ending" in info and info["line_ending"] not in ("\r\n", "\n"):
        problems.append(f'{where}.line_ending: expected "\\r\\n" or "\\n", got {_show(info["line_ending"])}')
    for key in ("bom", "final_newline"):
        if key in info and not isinstance(info[key], bool):
            problems.append(f"{where}.{key}: expected true or false, got {_show(info[key])}")
    problems += _array(info.get("record_lengths"), f"{where}.record_lengths", "length", limits)
    problems += _array(info.get("crlf"), f"{where}.crlf", "flag", limits)
    return problems


def sidecar_problems(data: object, limits: Limits) -> list[str]:
    """Every way ``data`` (parsed JSON) is not a sidecar as ``convert`` writes it, located; ``[]`` when valid."""
    if not isinstance(data, dict):
        return [f"(top level): expected an object, got {_show(data)}"]
    problems = _keys(data, _TOP_KEYS, "")
    if "profile" in data and data["profile"] not in PROFILE_NAMES:
        problems.append(f"profile: expected one of {', '.join(PROFILE_NAMES)}, got {_show(data['profile'])}")
    if "csv_safe" in data and not isinstance(data["csv_safe"], bool):
        problems.append(f"csv_safe: expected true or false, got {_show(data['csv_safe'])}")
    files = data.get("files")
    if "files" in data and not isinstance(files, dict):
        problems.append(f"files: expected an object, got {_show(files)}")
    elif isinstance(files, dict):
        for fid, info in files.items():
            where = f"files.{fid}" if fid in FILE_IDS else f"files[{shown(fid)}]"
            if fid not in FILE_IDS:
                problems.append(f"{where}: not a NAT file id (expected one of {', '.join(FILE_IDS)})")
                continue
            problems += _file_problems(fid, info, where, limits)
    return problems


def _file_meta(fid: str, info: dict[str, Any]) -> FileMeta:
    lengths, crlf = info.get("record_lengths"), info.get("crlf")
    return FileMeta(
        file_id=fid,
        name=info["name"],
        line_ending=info["line_ending"],
        bom=info["bom"],
        final_newline=info["final_newline"],
        record_lengths=None if lengths is None else np.array(lengths, dtype=np.int64),
        crlf=None if crlf is None else np.array(crlf, dtype=bool),
    )


def read_sidecar(folder: Path, limits: Limits) -> Sidecar | None:
    """The valid sidecar of ``folder``, ``None`` when there is none; an invalid one is UnreadableInputError."""
    path = folder / META_NAME
    if not path.exists() and not path.is_symlink():
        return None
    raw = read_regular(path, limits.max_file_bytes)
    try:
        data = load_json(raw.decode("utf-8"), limits=limits)
        problems = sidecar_problems(data, limits)
    except UnicodeDecodeError:
        problems = ["(top level): not UTF-8 text"]
    except InvalidJSONError as exc:
        problems = list(exc.problems)
    if problems:
        shown_ = "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        raise UnreadableInputError(f"{path} is not a {META_NAME} as convert writes it: {shown_}")
    files = {fid: _file_meta(fid, info) for fid, info in data["files"].items()}
    return Sidecar(profile=data["profile"], files=files, csv_safe=bool(data.get("csv_safe", False)))
