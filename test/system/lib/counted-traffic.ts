// Python programs for tests that need connections with known byte counts (socket history): a server
// that reads `req` bytes of each connection, answers `resp` bytes and waits for the client's close,
// and clients that open `n` such connections, hold them, then close them.

/** The server: one listener on 127.0.0.1 per [port, req, resp]; prints `ready`, runs until stdin closes. */
export function countedServer(listeners: readonly (readonly [port: number, req: number, resp: number])[]): string {
  return `
import socket, threading, sys
def serve(port, req, resp):
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', port)); l.listen(64)
    def one(a):
        got = 0
        while got < req:
            d = a.recv(65536)
            if not d: break
            got += len(d)
        a.sendall(b'r' * resp)
        while a.recv(65536): pass
        a.close()
    while True:
        a, _ = l.accept(); threading.Thread(target=one, args=(a,), daemon=True).start()
${listeners.map(([port, req, resp]) => `threading.Thread(target=serve, args=(${port}, ${req}, ${resp}), daemon=True).start()`).join('\n')}
print('ready', flush=True)
sys.stdin.read()
`;
}

/** The clients: `n` connections to `port`, each sends `req`, reads `resp`; prints `open`, holds `holdS` s, closes, prints `closed`. */
export function countedClients(port: number, n: number, req: number, resp: number, holdS: number): string {
  return `
import socket, time
cs = []
for i in range(${n}):
    c = socket.create_connection(('127.0.0.1', ${port})); c.sendall(b'q' * ${req})
    got = 0
    while got < ${resp}: got += len(c.recv(65536))
    cs.append(c)
print('open', flush=True)
time.sleep(${holdS})
for c in cs: c.close()
print('closed', flush=True)
`;
}
