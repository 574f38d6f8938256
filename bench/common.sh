# SPDX-License-Identifier: GPL-2.0-or-later
# silk bench — shell helpers shared by bench/shards.sh and tests/e2e/shards.sh (sourced).

# free_port: a loopback TCP port that was free a moment ago.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_port PORT [TRIES]: waits until something accepts connections on 127.0.0.1:PORT,
# trying TRIES times (default 200) 50 ms apart; exit status 1 when it never did.
wait_port() {
    python3 - "$1" "${2:-200}" <<'PY'
import socket, sys, time
for _ in range(int(sys.argv[2])):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PY
}
