#!/usr/bin/env python3
"""Unpacks .deb files into a folder without dpkg (an .deb is an ar archive holding data.tar.*).

  python3 extract-debs.py DEST FILE.deb...
"""
import io
import os
import sys
import tarfile


def members(path):
    with open(path, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise SystemExit(f"{path}: not an ar archive")
        while True:
            header = f.read(60)
            if len(header) < 60:
                return
            name = header[:16].decode().strip().rstrip("/")
            size = int(header[48:58].decode().strip())
            data = f.read(size)
            if size % 2:
                f.read(1)
            yield name, data


def main():
    dest, debs = sys.argv[1], sys.argv[2:]
    os.makedirs(dest, exist_ok=True)
    for deb in debs:
        for name, data in members(deb):
            if name.startswith("data.tar"):
                if name.endswith(".zst"):
                    raise SystemExit(f"{deb}: zstd data needs dpkg-deb")
                with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                    tar.extractall(dest)


if __name__ == "__main__":
    main()
