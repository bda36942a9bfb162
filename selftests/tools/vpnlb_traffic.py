#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Send crafted IPv4/UDP flows and read what the vpnlb selftests captured.

    vpnlb_traffic.py send --src A --dst D [--flows N] [--packets P]
                          [--sport S] [--dport D] [--ttl T] [--df] [--len L]
        Sends N flows (source ports S..S+N-1) of P packets each, round by
        round (every flow once, then every flow again, ...), through a raw
        socket, so that the source port, TTL and DF bit are exactly as asked.

    vpnlb_traffic.py capture --out PCAP [--direction out|in|both] IFNAME
        Captures IFNAME (an AF_PACKET socket) until SIGINT or SIGTERM, then
        reads whatever the kernel had already queued for it, writes PCAP,
        and prints "captured=N drops=D" (D: packets the kernel could not
        queue). Prints "listening" on stderr once the socket is bound.

    vpnlb_traffic.py tcp-sink --bind A --port P
        Accepts one TCP connection, reads it to the end and prints
        "received=N". Prints "listening" on stderr once it listens.

    vpnlb_traffic.py tcp-send --dst A --port P --bytes N
        Connects, sends N bytes in large writes (so the stack builds GSO
        packets), closes and prints "sent=N".

    vpnlb_traffic.py decode PCAP
        One line per MPLS packet in a pcap file (Ethernet link type):
        "LABEL/S/TTL[,LABEL/S/TTL...] ttl=IPTTL PROTO SRC:SPORT>DST:DPORT".

    vpnlb_traffic.py flows PCAP [PCAP...]
        Splits the UDP flows (5-tuples) of MPLS packets by file. Prints one
        line per file, "FILE packets=N flows=F", then "shared=K": the number
        of flows seen in more than one file.

Only the Python standard library is used.
"""

import argparse
import ipaddress
import signal
import socket
import struct
import sys
import time

ETH_P_MPLS_UC = 0x8847
ETH_P_8021Q = 0x8100
LINKTYPE_ETHERNET = 1
ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_STATISTICS = 6
PACKET_OUTGOING = 4
SO_RCVBUFFORCE = 33
SNAPLEN = 256


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def udp_packet(src, dst, sport, dport, ttl, df, payload):
    udp_len = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_UDP, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    csum = checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    total = 20 + udp_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0,
                     0x4000 if df else 0, ttl, socket.IPPROTO_UDP, 0,
                     src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + udp


def cmd_send(args):
    src = socket.inet_aton(args.src)
    dst = socket.inet_aton(args.dst)
    if args.flows < 1 or args.sport + args.flows - 1 > 65535:
        sys.exit("send: source ports %d..%d out of range"
                 % (args.sport, args.sport + args.flows - 1))
    payload_len = max(args.len - 28, 0)
    payload = bytes(payload_len)
    packets = [udp_packet(src, dst, args.sport + i, args.dport, args.ttl,
                          args.df, payload)
               for i in range(args.flows)]
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sent = 0
    for _ in range(args.packets):
        for pkt in packets:
            sock.sendto(pkt, (args.dst, 0))
            sent += 1
    sock.close()
    print("sent=%d" % sent)


def cmd_capture(args):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                         socket.htons(ETH_P_ALL))
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
    sock.bind((args.ifname, 0))
    frames = []

    def keep(frame, addr):
        outgoing = addr[2] == PACKET_OUTGOING
        if args.direction == "both" or outgoing == (args.direction == "out"):
            frames.append((time.time(), len(frame), frame[:SNAPLEN]))

    stopping = []

    def stop(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    # The handler only sets a flag, so no frame is lost between recvfrom()
    # returning and keep() storing it; the timeout lets the loop see it.
    sock.settimeout(0.2)
    print("listening on %s" % args.ifname, file=sys.stderr, flush=True)
    while not stopping:
        try:
            frame, addr = sock.recvfrom(65536)
        except socket.timeout:
            continue
        keep(frame, addr)
    # Everything delivered before the signal is already queued: drain it.
    sock.setblocking(False)
    try:
        while True:
            frame, addr = sock.recvfrom(65536)
            keep(frame, addr)
    except BlockingIOError:
        pass
    _, drops = struct.unpack("II", sock.getsockopt(SOL_PACKET,
                                                   PACKET_STATISTICS, 8))
    sock.close()
    with open(args.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, SNAPLEN,
                            LINKTYPE_ETHERNET))
        for stamp, length, data in frames:
            f.write(struct.pack("<IIII", int(stamp),
                                int((stamp % 1) * 1000000), len(data),
                                length))
            f.write(data)
    print("captured=%d drops=%d" % (len(frames), drops), flush=True)


TCP_TIMEOUT = 60


def cmd_tcp_sink(args):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((args.bind, args.port))
    srv.listen(1)
    srv.settimeout(TCP_TIMEOUT)
    print("listening on %s:%d" % (args.bind, args.port), file=sys.stderr,
          flush=True)
    conn, _ = srv.accept()
    conn.settimeout(TCP_TIMEOUT)
    received = 0
    while True:
        data = conn.recv(1 << 16)
        if not data:
            break
        received += len(data)
    conn.close()
    srv.close()
    print("received=%d" % received, flush=True)


def cmd_tcp_send(args):
    sock = socket.create_connection((args.dst, args.port), TCP_TIMEOUT)
    chunk = bytes(range(256)) * 256
    left = args.bytes
    while left > 0:
        n = sock.send(chunk[:min(left, len(chunk))])
        left -= n
    sock.shutdown(socket.SHUT_WR)
    # Wait for the peer's close: every byte was acknowledged and read.
    while sock.recv(4096):
        pass
    sock.close()
    print("sent=%d" % args.bytes)


def read_pcap(path):
    """Yield the frames of a pcap file (microsecond or nanosecond)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: not a pcap file" % path)
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError("%s: not a pcap file (pcapng?)" % path)
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype != LINKTYPE_ETHERNET:
        raise ValueError("%s: link type %d, expected Ethernet"
                         % (path, linktype))
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        off += 16
        if off + caplen > len(data):
            raise ValueError("%s: truncated record" % path)
        yield data[off:off + caplen]
        off += caplen


def parse_mpls(frame):
    """Return (labels, ip) for an MPLS frame, None for anything else.

    labels is a list of (label, s_bit, ttl); ip is a dict of the inner IPv4
    header fields, or None when the payload is not IPv4.
    """
    if len(frame) < 14:
        return None
    ethertype = struct.unpack("!H", frame[12:14])[0]
    off = 14
    if ethertype == ETH_P_8021Q and len(frame) >= 18:
        ethertype = struct.unpack("!H", frame[16:18])[0]
        off = 18
    if ethertype != ETH_P_MPLS_UC:
        return None
    labels = []
    while True:
        if off + 4 > len(frame):
            return labels, None
        entry = struct.unpack("!I", frame[off:off + 4])[0]
        off += 4
        bos = (entry >> 8) & 1
        labels.append((entry >> 12, bos, entry & 0xFF))
        if bos or len(labels) > 16:
            break
    if off + 20 > len(frame) or frame[off] >> 4 != 4:
        return labels, None
    ihl = (frame[off] & 0xF) * 4
    ttl, proto = frame[off + 8], frame[off + 9]
    ip = {
        "ttl": ttl,
        "proto": proto,
        "src": socket.inet_ntoa(frame[off + 12:off + 16]),
        "dst": socket.inet_ntoa(frame[off + 16:off + 20]),
        "sport": 0,
        "dport": 0,
    }
    l4 = off + ihl
    if proto in (socket.IPPROTO_UDP, socket.IPPROTO_TCP) and \
            l4 + 4 <= len(frame):
        ip["sport"], ip["dport"] = struct.unpack("!HH", frame[l4:l4 + 4])
    return labels, ip


PROTO_NAMES = {1: "icmp", 6: "tcp", 17: "udp"}


def cmd_decode(args):
    for frame in read_pcap(args.pcap):
        parsed = parse_mpls(frame)
        if parsed is None:
            continue
        labels, ip = parsed
        stack = ",".join("%d/%d/%d" % lse for lse in labels)
        if ip is None:
            print(stack + " non-ip")
            continue
        print("%s ttl=%d %s %s:%d>%s:%d" % (
            stack, ip["ttl"], PROTO_NAMES.get(ip["proto"], str(ip["proto"])),
            ip["src"], ip["sport"], ip["dst"], ip["dport"]))


def cmd_flows(args):
    seen = {}
    for path in args.pcap:
        packets = 0
        flows = set()
        for frame in read_pcap(path):
            parsed = parse_mpls(frame)
            if parsed is None or parsed[1] is None:
                continue
            ip = parsed[1]
            if ip["proto"] != socket.IPPROTO_UDP:
                continue
            packets += 1
            flows.add((ip["src"], ip["dst"], ip["proto"], ip["sport"],
                       ip["dport"]))
        for flow in flows:
            seen[flow] = seen.get(flow, 0) + 1
        print("%s packets=%d flows=%d" % (path, packets, len(flows)))
    print("shared=%d" % sum(1 for n in seen.values() if n > 1))


def ipv4(text):
    ipaddress.IPv4Address(text)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)

    send = sub.add_parser("send")
    send.add_argument("--src", type=ipv4, required=True)
    send.add_argument("--dst", type=ipv4, required=True)
    send.add_argument("--flows", type=int, default=1)
    send.add_argument("--packets", type=int, default=1,
                      help="packets per flow")
    send.add_argument("--sport", type=int, default=10000)
    send.add_argument("--dport", type=int, default=9)
    send.add_argument("--ttl", type=int, default=64)
    send.add_argument("--df", action="store_true")
    send.add_argument("--len", type=int, default=64,
                      help="IP packet length")
    send.set_defaults(func=cmd_send)

    capture = sub.add_parser("capture")
    capture.add_argument("--out", required=True)
    capture.add_argument("--direction", choices=("out", "in", "both"),
                         default="out")
    capture.add_argument("ifname")
    capture.set_defaults(func=cmd_capture)

    sink = sub.add_parser("tcp-sink")
    sink.add_argument("--bind", type=ipv4, required=True)
    sink.add_argument("--port", type=int, required=True)
    sink.set_defaults(func=cmd_tcp_sink)

    tsend = sub.add_parser("tcp-send")
    tsend.add_argument("--dst", type=ipv4, required=True)
    tsend.add_argument("--port", type=int, required=True)
    tsend.add_argument("--bytes", type=int, required=True)
    tsend.set_defaults(func=cmd_tcp_send)

    decode = sub.add_parser("decode")
    decode.add_argument("pcap")
    decode.set_defaults(func=cmd_decode)

    flows = sub.add_parser("flows")
    flows.add_argument("pcap", nargs="+")
    flows.set_defaults(func=cmd_flows)

    args = parser.parse_args()
    try:
        args.func(args)
    except (OSError, ValueError) as err:
        sys.exit("vpnlb_traffic.py: %s" % err)


if __name__ == "__main__":
    main()
