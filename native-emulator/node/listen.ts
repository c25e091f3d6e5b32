import type net from 'node:net';

export interface Listening {
  readonly port: number;
  /** Destroys every open connection, then stops listening. */
  close(): Promise<void>;
}

/** Listens on host:port (loopback unless told otherwise); `sockets` are the live connections close() ends. */
export function listenTcp(server: net.Server, sockets: ReadonlySet<net.Socket>, port: number, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
