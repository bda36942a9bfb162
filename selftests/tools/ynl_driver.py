#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Serve YNL requests for one netns from a single Python process.

usage: ynl_driver.py YNL_DIR SPEC REPLY_FILE

YNL_DIR is the kernel's tools/net/ynl (its lib package is imported from
there), SPEC the family's YAML spec. Python start-up and parsing the spec
cost seconds on a debug kernel under emulation; this pays them once and
then runs every request of a test through the same YnlFamily.

Requests arrive on stdin, each as a NUL-terminated argument count followed
by that many NUL-terminated arguments (bash: printf '%s\\0' $# "$@"). The
arguments are those of tools/net/ynl/cli.py --no-schema --output-json:

  --do OP | --dump OP      the request
  --json TEXT              its attributes (default none)
  --replace, --excl, --create, --append
                           netlink flags of a do
  --subscribe GROUP        the reply is followed by the notifications
                           GROUP carried during the request, received on a
                           socket of their own, one JSON object per line
  --snapshot               every object of the netns, one JSON line each,
                           without route ages (they tick)

For each request the driver writes what cli.py would print (the JSON reply,
or the netlink error with its extack) to REPLY_FILE, then one line on
stdout: the exit status cli.py would have (0 or 1) and the size of
REPLY_FILE in bytes. The first line on stdout,
"ready", says the family is resolved; EOF on stdin ends the driver.
"""

import argparse
import contextlib
import io
import json
import os
import sys
import traceback

# Dumps that together hold every object of a netns.
SNAPSHOT_DUMPS = ('instance-get', 'tunnel-get', 'nexthop-get', 'group-get',
                  'route-get')


class RequestError(Exception):
    """A request the driver cannot parse."""


class RequestParser(argparse.ArgumentParser):
    """argparse that reports bad requests instead of exiting."""

    def error(self, message):
        raise RequestError(message)


def request_parser(netlink):
    parser = RequestParser(prog='ynl-request', add_help=False)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument('--do')
    what.add_argument('--dump')
    what.add_argument('--snapshot', action='store_true')
    parser.add_argument('--json', dest='json_text')
    parser.add_argument('--subscribe')
    for name, flag in (('--replace', netlink.NLM_F_REPLACE),
                       ('--excl', netlink.NLM_F_EXCL),
                       ('--create', netlink.NLM_F_CREATE),
                       ('--append', netlink.NLM_F_APPEND)):
        parser.add_argument(name, dest='flags', action='append_const',
                            const=flag)
    return parser


def json_default(obj):
    """JSON for what YNL decodes to besides JSON types, as cli.py does."""
    if isinstance(obj, bytes):
        return obj.hex()
    if isinstance(obj, set):
        return list(obj)
    raise TypeError(f'{type(obj).__name__} is not JSON serializable')


def read_requests(fd):
    """Yield each request on fd as a list of arguments."""
    buf = b''
    pending = None  # arguments still to read of the current request
    args = []
    while True:
        end = buf.find(b'\0')
        if end < 0:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return
            buf += chunk
            continue
        token = buf[:end].decode()
        buf = buf[end + 1:]
        if pending is None:
            pending = int(token)
            args = []
        else:
            args.append(token)
            pending -= 1
        if pending == 0:
            yield args
            pending = None


class Driver:
    def __init__(self, ynl_lib, spec):
        self.lib = ynl_lib
        self.spec = spec
        self.family = ynl_lib.YnlFamily(spec, '')
        self.parser = request_parser(ynl_lib.Netlink)

    def snapshot(self):
        for op in SNAPSHOT_DUMPS:
            for msg in self.family.dump(op, {}):
                for route in msg.get('route', []):
                    route.pop('age', None)
                print(json.dumps(msg, sort_keys=True, default=str))

    def request(self, req):
        attrs = json.loads(req.json_text) if req.json_text else {}
        if req.dump:
            reply = self.family.dump(req.dump, attrs)
        else:
            reply = self.family.do(req.do, attrs, req.flags)
        print(json.dumps(reply, default=json_default))

    def subscribed_request(self, req):
        # A listener of its own for this request only: one kept open would
        # overflow with the notifications of all the other requests.
        listener = self.lib.YnlFamily(self.spec, '')
        try:
            listener.ntf_subscribe(req.subscribe)
            self.request(req)
            listener.check_ntf()
            for msg in listener.async_msg_queue:
                print(json.dumps(msg, sort_keys=True, default=str))
        finally:
            listener.sock.close()

    def run(self, args):
        """Run one request with its output going to stdout; its status."""
        try:
            req = self.parser.parse_args(args)
            if req.snapshot:
                self.snapshot()
            elif req.subscribe:
                self.subscribed_request(req)
            else:
                self.request(req)
        except self.lib.NlError as err:
            print(err)
            return 1
        except RequestError as err:
            print(f'ynl-request: {err}: {args}')
            return 1
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc(file=sys.stdout)
            return 1
        return 0


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.split('\n\n')[1])
    ynl_dir, spec, reply_path = sys.argv[1:]
    sys.path.insert(0, ynl_dir)
    import lib as ynl_lib  # pylint: disable=import-outside-toplevel

    status_out = sys.stdout
    driver = Driver(ynl_lib, spec)
    print('ready', file=status_out, flush=True)
    for args in read_requests(sys.stdin.fileno()):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            status = driver.run(args)
        text = out.getvalue().encode()
        with open(reply_path, 'wb') as reply:
            reply.write(text)
        print(status, len(text), file=status_out, flush=True)


if __name__ == '__main__':
    main()
