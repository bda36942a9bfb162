#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Minimal client of the vpnlbd control socket (see ../PROTOCOL), for tests.

ctl.py SOCKET [LINE...]   sends each LINE (or stdin lines), prints the
payloads; errors go to stderr as "Error: <text>" and make the exit status 1.
"""
import socket
import sys


def main():
    path = sys.argv[1]
    lines = sys.argv[2:] or [l.rstrip("\n") for l in sys.stdin]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError as e:
        sys.stderr.write("Error: cannot connect to %s: %s\n" % (path, e.strerror))
        return 1
    f = s.makefile("rb")
    status = 0
    for line in lines:
        s.sendall(line.encode() + b"\n")
        header = f.readline().decode().split()
        if len(header) != 3:
            sys.stderr.write("Error: bad reply header %r\n" % header)
            return 1
        payload = f.read(int(header[1])).decode()
        if header[0] == "ok":
            sys.stdout.write(payload)
        else:
            sys.stderr.write("Error: %s\n" % payload)
            status = 1
    return status


sys.exit(main())
