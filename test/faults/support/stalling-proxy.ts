import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy the test controls. `stall()` stops forwarding in both directions without closing
 * anything: bytes are held, new connections are accepted but not passed on, which is what a
 * partitioned network looks like from either side. `resume()` forwards what was held and carries on.
 */
export class StallingProxy {
  private server?: Server;
  private stalled = false;
  private readonly waiting: (() => void)[] = [];
  private readonly sockets = new Set<Socket>();
  /** Connections accepted so far. */
  connections = 0;

  constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {}

  /** Listens on a free loopback port; resolves to `host:port`. */
  async start(): Promise<string> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    for (const release of this.waiting.splice(0)) release();
  }

  async stop(): Promise<void> {
    this.resume();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    this.connections += 1;
    this.track(client);
    client.pause();
    this.whenFlowing(() => {
      const upstream = connect(this.upstreamPort, this.upstreamHost);
      this.track(upstream);
      this.forward(client, upstream);
      this.forward(upstream, client);
      client.resume();
    });
  }

  /** Copies `from` to `to`, holding every chunk while stalled (in order). */
  private forward(from: Socket, to: Socket): void {
    let queue = Promise.resolve();
    from.on('data', (chunk) => {
      queue = queue.then(
        () =>
          new Promise<void>((resolve) =>
            this.whenFlowing(() => {
              if (!to.destroyed) to.write(chunk);
              resolve();
            }),
          ),
      );
    });
    from.once('close', () => void queue.then(() => to.destroy()));
    from.on('error', () => undefined);
  }

  private whenFlowing(work: () => void): void {
    if (this.stalled) this.waiting.push(work);
    else work();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
