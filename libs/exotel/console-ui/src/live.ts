/** An event of the outbox, as the feed sends it. */
interface FeedEvent {
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly data: Record<string, unknown>;
}

/** Where the live feed stands, for the page's status badge. */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** What the feed tells the page. */
export interface LiveHandlers {
  event(event: FeedEvent): void;
  pulse(pulse: unknown): void;
  /** Connected; `replayed` false means messages were missed: reload what is shown. */
  ready(replayed: boolean): void;
  state(state: LiveState): void;
  /** The server refused the stream for want of a session. */
  signedOut(): void;
}

/**
 * The server-sent events of the console. The browser's EventSource reconnects by itself (sending
 * the last id, so the server replays what was missed); when it gives up (an error answer), the
 * session is checked and a new EventSource opened after a backoff.
 */
export class LiveFeed {
  private source?: EventSource;
  private retryMs = 1_000;
  private timer?: number;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly handlers: LiveHandlers,
    private readonly sessionAlive: () => Promise<boolean>,
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = undefined;
  }

  private open(): void {
    this.handlers.state(this.source ? 'reconnecting' : 'connecting');
    const source = new EventSource(this.url, { withCredentials: true });
    this.source = source;
    source.addEventListener('ready', (message) => {
      this.retryMs = 1_000;
      this.handlers.state('live');
      this.handlers.ready(
        Boolean((JSON.parse((message as MessageEvent<string>).data) as { replayed: boolean }).replayed),
      );
    });
    source.addEventListener('exotel', (message) =>
      this.handlers.event(JSON.parse((message as MessageEvent<string>).data) as FeedEvent),
    );
    source.addEventListener('pulse', (message) =>
      this.handlers.pulse(JSON.parse((message as MessageEvent<string>).data)),
    );
    source.addEventListener('error', () => {
      if (this.stopped || source !== this.source) return;
      this.handlers.state('reconnecting');
      if (source.readyState !== EventSource.CLOSED) return; // the browser retries by itself
      this.timer = window.setTimeout(() => void this.reopen(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    });
  }

  private async reopen(): Promise<void> {
    if (this.stopped) return;
    const alive = await this.sessionAlive().catch(() => true);
    if (!alive) {
      this.handlers.signedOut();
      return;
    }
    this.open();
  }
}
