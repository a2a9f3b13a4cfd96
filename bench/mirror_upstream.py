"""Writes a synthetic upstream channel for bench/mirror-passive.sh: linux-64/repodata.json and its .zst.

Usage: mirror_upstream.py INDEX_JSON OUT_DIR N GENERATION

The N records are the real records of INDEX_JSON (a filename -> record map such as
fixtures/real/large/index4.json), repeated: copy k of a record gets the build string "<build>_<k>" (so
name, version and build still agree with its unique filename) and a SHA-256 and MD5 of its own, since a
passive mirror only copies metadata and never asks for the files.

GENERATION 0 is the first state. GENERATION g > 0 is 100 upstream changes later, per step: the first
20 * g records removed, 30 records with another depends list, 50 new records.
"""
import hashlib
import json
import os
import sys

import zstandard


def records(index, n):
    base = sorted(index.items())
    for i in range(n):
        filename, rec = base[i % len(base)]
        k = i // len(base)
        rec = dict(rec)
        rec["subdir"] = "linux-64"
        if k > 0:
            rec["build"] = "%s_%d" % (rec["build"], k)
            ext = ".conda" if filename.endswith(".conda") else ".tar.bz2"
            filename = "%s-%s-%s%s" % (rec["name"], rec["version"], rec["build"], ext)
        seed = ("%d:%s" % (i, filename)).encode()
        rec["sha256"] = hashlib.sha256(seed).hexdigest()
        rec["md5"] = hashlib.md5(seed).hexdigest()
        yield filename, rec


def main():
    index_path, out, n, generation = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(index_path) as f:
        index = json.load(f)
    packages = dict(records(index, n + 50 * generation))
    names = list(packages)
    for g in range(1, generation + 1):
        for filename in names[20 * (g - 1):20 * g]:
            del packages[filename]
        for filename in names[1000 + 30 * (g - 1):1000 + 30 * g]:
            packages[filename] = dict(packages[filename], depends=packages[filename].get("depends", []) + [
                "bench-changed-%d" % g])
    doc = {"info": {"subdir": "linux-64"}, "packages": {}, "packages.conda": {}, "removed": [],
           "repodata_version": 1}
    for filename, rec in packages.items():
        doc["packages.conda" if filename.endswith(".conda") else "packages"][filename] = rec
    subdir = os.path.join(out, "linux-64")
    os.makedirs(subdir, exist_ok=True)
    data = json.dumps(doc, indent=1, sort_keys=True).encode()
    # replace atomically, so the web server never serves half a file, with a new mtime (new validators)
    for name, body in (("repodata.json", data), ("repodata.json.zst", zstandard.ZstdCompressor(level=3).compress(data))):
        tmp = os.path.join(subdir, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(body)
        os.replace(tmp, os.path.join(subdir, name))
    print("%d records, repodata.json %d bytes" % (len(packages), len(data)))


if __name__ == "__main__":
    main()
