# Checks a Wharf channel the way a conda client with conda-content-trust does (its published rules,
# written here from them): trust root version 1, walk <base>/<v+1>.root.json until a 404 (each new
# root signed, OpenPGP-style, by a threshold of the previous root's root keys and of its own), verify
# key_mgr.json against the newest root's key_mgr delegation, then each record of repodata.json wrapped
# as {"signed": record, "signatures": repodata["signatures"][fn]} against key_mgr's pkg_mgr delegation.
# Payload: json.dumps(obj, indent=2, sort_keys=True) as UTF-8. Raw Ed25519 through pyca/cryptography.
#
# usage: content_trust_check.py TRUST_BASE_URL REPODATA_URL [TAMPER_FILENAME]
# prints JSON: {"root_version": N, "trusted": [...], "untrusted": [...], "unsigned": [...]}
import hashlib
import json
import struct
import sys
import urllib.error
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def fetch(url):
    with urllib.request.urlopen(url) as r:
        return json.loads(r.read().decode("utf-8"))


def payload(obj):
    return json.dumps(obj, indent=2, sort_keys=True).encode("utf-8")


def good_signatures(signable, keys, openpgp):
    data = payload(signable["signed"])
    good = set()
    for keyid, sig in signable["signatures"].items():
        if keyid not in keys:
            continue
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(keyid))
        try:
            if openpgp:
                headers = bytes.fromhex(sig["other_headers"])
                digest = hashlib.sha256(data + headers + b"\x04\xff" + struct.pack(">I", len(headers))).digest()
                public.verify(bytes.fromhex(sig["signature"]), digest)
            else:
                public.verify(bytes.fromhex(sig["signature"]), data)
        except (InvalidSignature, KeyError, ValueError):
            continue
        good.add(keyid)
    return good


def require(signable, delegation, openpgp, what):
    if set(signable) != {"signatures", "signed"}:
        raise SystemExit(what + " is not a signable")
    if len(good_signatures(signable, delegation["pubkeys"], openpgp)) < delegation["threshold"]:
        raise SystemExit(what + " lacks threshold signatures")


def main():
    base, repodata_url = sys.argv[1].rstrip("/"), sys.argv[2]
    tamper = sys.argv[3] if len(sys.argv) > 3 else None
    root = fetch(base + "/1.root.json")
    require(root, root["signed"]["delegations"]["root"], True, "1.root.json")
    while True:
        try:
            new = fetch(base + "/%d.root.json" % (root["signed"]["version"] + 1))
        except urllib.error.HTTPError as e:
            if e.code == 404:
                break
            raise
        if new["signed"]["type"] != "root" or new["signed"]["version"] != root["signed"]["version"] + 1:
            raise SystemExit("root chaining failure")
        require(new, root["signed"]["delegations"]["root"], True, "root (old keys)")
        require(new, new["signed"]["delegations"]["root"], True, "root (new keys)")
        root = new
    key_mgr = fetch(base + "/key_mgr.json")
    if key_mgr["signed"]["type"] != "key_mgr":
        raise SystemExit("key_mgr.json is not key_mgr metadata")
    require(key_mgr, root["signed"]["delegations"]["key_mgr"], False, "key_mgr.json")
    pkg_mgr = key_mgr["signed"]["delegations"]["pkg_mgr"]

    repodata = fetch(repodata_url)
    out = {"root_version": root["signed"]["version"], "trusted": [], "untrusted": [], "unsigned": []}
    for section in ("packages", "packages.conda"):
        for fn, record in sorted(repodata.get(section, {}).items()):
            if fn == tamper:
                record = dict(record, depends=record.get("depends", []) + ["evil"])
            sigs = repodata.get("signatures", {}).get(fn)
            if sigs is None:
                out["unsigned"].append(fn)
                continue
            envelope = {"signatures": sigs, "signed": record}
            ok = len(good_signatures(envelope, pkg_mgr["pubkeys"], False)) >= pkg_mgr["threshold"]
            out["trusted" if ok else "untrusted"].append(fn)
    print(json.dumps(out, sort_keys=True))


main()
