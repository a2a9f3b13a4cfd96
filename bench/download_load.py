#!/usr/bin/python3
"""Parallel package downloads against a Wharf on loopback, some of them cut off half-way.

  download_load.py package DIR NAME SIZE_MIB
      writes NAME-1.0-0.tar.bz2 (noarch) with SIZE_MIB of random payload into DIR and prints its path.
  download_load.py run --port P --paths PATH... --downloads N --parallel K --cut-every C
      makes N GETs spread over the PATHs by K threads; every C-th download reads half of the body and then
      resets the connection (SO_LINGER 0, as a killed client's kernel would), after shrinking its receive
      buffer so that the rest cannot sit in socket buffers: the server must see its writes fail. Prints one
      JSON line: per path the completed downloads, the cut-off ones, and the throughput of the complete ones.

Standard library only; only 127.0.0.1 is targeted.
"""
import argparse
import io
import json
import os
import socket
import sys
import tarfile
import threading
import time

HOST = "127.0.0.1"
CHUNK = 1 << 20


def package(directory, name, size_mib):
    path = os.path.join(directory, f"{name}-1.0-0.tar.bz2")
    index = json.dumps({"name": name, "version": "1.0", "build": "0", "build_number": 0, "subdir": "noarch",
                        "noarch": "generic", "depends": []}).encode()
    with tarfile.open(path, "w:bz2", compresslevel=1) as tar:
        for member, data in (("info/index.json", index), (f"share/{name}/payload.bin", os.urandom(size_mib << 20))):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    print(path)


def read_head(sock):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            raise IOError("closed in the response head")
        head += chunk
    end = head.index(b"\r\n\r\n") + 4
    lines = head[:end].decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(l.split(":", 1)[1]) for l in lines[1:] if l.lower().startswith("content-length:"))
    return status, length, len(head) - end


def download(port, path, cut):
    """Returns the body bytes read; raises when a complete download did not get its whole body."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if cut:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    sock.connect((HOST, port))
    try:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        status, length, got = read_head(sock)
        if status != 200:
            raise IOError(f"{path}: HTTP {status}")
        want = length // 2 if cut else length
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        while got < want:
            n = sock.recv_into(view, min(CHUNK, want - got))
            if n == 0:
                raise IOError(f"{path}: closed after {got} of {length} bytes")
            got += n
        if cut:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        return got
    finally:
        sock.close()


def run(args):
    lock = threading.Lock()
    next_job = [0]
    completed = {p: 0 for p in args.paths}
    cut_off = {p: 0 for p in args.paths}
    complete_bytes = [0]
    errors = []

    def worker():
        while True:
            with lock:
                i = next_job[0]
                if i >= args.downloads or errors:
                    return
                next_job[0] += 1
            path = args.paths[i % len(args.paths)]
            cut = args.cut_every > 0 and i % args.cut_every == args.cut_every - 1
            try:
                n = download(args.port, path, cut)
            except Exception as e:  # noqa: BLE001 - any failure ends the run with its message
                with lock:
                    errors.append(str(e))
                return
            with lock:
                if cut:
                    cut_off[path] += 1
                else:
                    completed[path] += 1
                    complete_bytes[0] += n

    threads = [threading.Thread(target=worker) for _ in range(args.parallel)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    if errors:
        print(json.dumps({"error": errors[0]}))
        sys.exit(1)
    print(json.dumps({"completed": completed, "cut_off": cut_off, "seconds": round(seconds, 3),
                      "mib_per_s": round(complete_bytes[0] / seconds / (1 << 20), 1)}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    pk = sub.add_parser("package")
    pk.add_argument("dir")
    pk.add_argument("name")
    pk.add_argument("size_mib", type=int)
    r = sub.add_parser("run")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--paths", nargs="+", required=True)
    r.add_argument("--downloads", type=int, default=240)
    r.add_argument("--parallel", type=int, default=16)
    r.add_argument("--cut-every", type=int, default=4)
    a = p.parse_args()
    if a.cmd == "package":
        package(a.dir, a.name, a.size_mib)
    else:
        run(a)


if __name__ == "__main__":
    main()
