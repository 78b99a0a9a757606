"""Runs a command in a pseudo-terminal and writes everything it printed to stdout, raw.

usage: pty-run.py [--cols N] [--interrupt-after TEXT] -- COMMAND...
--interrupt-after: once the output holds TEXT, type Ctrl-C (the terminal sends SIGINT to
the command's foreground process group, as a user's keyboard would). Exit code: the command's.
"""
import os
import pty
import select
import struct
import sys
import fcntl
import termios

args = sys.argv[1:]
cols, interrupt = 100, None
while args and args[0] != "--":
    if args[0] == "--cols":
        cols, args = int(args[1]), args[2:]
    elif args[0] == "--interrupt-after":
        interrupt, args = args[1].encode(), args[2:]
    else:
        sys.exit("unknown option " + args[0])
command = args[1:]

pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, cols, 0, 0))
seen = b""
while True:
    try:
        ready, _, _ = select.select([fd], [], [], 30)
    except InterruptedError:
        continue
    if not ready:
        break
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()
    if interrupt is not None:
        seen += chunk
        if interrupt in seen:
            os.write(fd, b"\x03")
            interrupt = None
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)
