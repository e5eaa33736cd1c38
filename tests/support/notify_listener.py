"""A service manager's notify socket, as systemd provides it to a Type=notify service: binds
a datagram socket at argv[1] and appends every message to argv[2], one per line with its
fields joined by '|' (READY=1|STATUS=serving). Runs until killed."""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o777)  # the service may run as another user
with open(out, "a", buffering=1) as f:
    while True:
        data = sock.recv(4096)
        f.write(data.decode("utf-8", "replace").strip().replace("\n", "|") + "\n")
