#!/usr/bin/python3
"""Stand-in for conda-index where it cannot be installed: does, on one core, the work conda-index does
for each package of a channel directory, and writes each subdir's repodata.json.

Per package, as conda-index's cache does: stat it, hash the whole file (md5 and sha256), read its info/
members (index.json, about.json, paths.json, run_exports.json, recipe/meta.yaml) through
conda-package-streaming, keep them in an SQLite cache, and form the record (index.json plus md5, sha256,
size). Per subdir: repodata.json from the cached records, keys sorted, indented.
It does not patch repodata, write channeldata.json, current_repodata.json or compressed copies, so it
does less than conda-index does, never more.

Usage: conda-index-standin.py DIR   (prints the number of packages it indexed)
"""
import hashlib
import json
import os
import sqlite3
import sys

from conda_package_streaming import package_streaming

WANTED = {"info/index.json", "info/about.json", "info/paths.json", "info/run_exports.json",
          "info/recipe/meta.yaml"}


def hashes(path):
    md5, sha256 = hashlib.md5(), hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            md5.update(block)
            sha256.update(block)
    return md5.hexdigest(), sha256.hexdigest()


def index_subdir(root, subdir):
    directory = os.path.join(root, subdir)
    names = sorted(n for n in os.listdir(directory) if n.endswith((".conda", ".tar.bz2")))
    db = sqlite3.connect(os.path.join(directory, ".standin-cache.db"))
    db.execute("CREATE TABLE IF NOT EXISTS members (filename TEXT, member TEXT, content TEXT,"
               " PRIMARY KEY (filename, member))")
    db.execute("CREATE TABLE IF NOT EXISTS stat (filename TEXT PRIMARY KEY, size INTEGER, mtime REAL,"
               " md5 TEXT, sha256 TEXT)")
    packages, conda_packages = {}, {}
    for name in names:
        path = os.path.join(directory, name)
        st = os.stat(path)
        md5, sha256 = hashes(path)
        found = {}
        for tar, member in package_streaming.stream_conda_info(path):
            if member.name in WANTED:
                found[member.name] = tar.extractfile(member).read().decode("utf-8")
        for member, content in found.items():
            db.execute("INSERT OR REPLACE INTO members VALUES (?, ?, ?)", (name, member, content))
        db.execute("INSERT OR REPLACE INTO stat VALUES (?, ?, ?, ?, ?)", (name, st.st_size, st.st_mtime, md5, sha256))
        record = json.loads(found["info/index.json"])
        for member in ("info/about.json", "info/paths.json", "info/run_exports.json"):
            if member in found:
                json.loads(found[member])  # conda-index parses these for channeldata and the cache
        record.update(md5=md5, sha256=sha256, size=st.st_size)
        (conda_packages if name.endswith(".conda") else packages)[name] = record
    db.commit()
    db.close()
    repodata = {"info": {"subdir": subdir}, "packages": packages, "packages.conda": conda_packages,
                "removed": [], "repodata_version": 1}
    with open(os.path.join(directory, "repodata.json"), "w") as f:
        json.dump(repodata, f, indent=2, sort_keys=True)
    return len(names)


def main():
    root = sys.argv[1]
    total = 0
    for subdir in sorted(os.listdir(root)):
        if os.path.isdir(os.path.join(root, subdir)):
            total += index_subdir(root, subdir)
    print(total)


if __name__ == "__main__":
    main()
