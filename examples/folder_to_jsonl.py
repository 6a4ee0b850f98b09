#!/usr/bin/env python3
"""Writes the .txt articles under FOLDER as JSON Lines for `policylens extract --stdin`:
one {"id", "file", "text"} object per article, the id being the path relative to FOLDER.
UTF-8 (with or without BOM) is tried first, then GB18030, as PolicyLens's own loader does.
Usage: python3 examples/folder_to_jsonl.py FOLDER > articles.jsonl"""
import json
import pathlib
import sys

folder = pathlib.Path(sys.argv[1])
out = sys.stdout
for path in sorted(folder.rglob("*.txt")):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    name = path.relative_to(folder).as_posix()
    out.write(json.dumps({"id": name, "file": name, "text": text}, ensure_ascii=False))
    out.write("\n")
