/**
 * A read that concurrent requests share, without ever handing one a result older than its call: a caller gets
 * the result of a read that STARTS after it asked — the one not sent yet if there is one, else a new one. While
 * a read is in flight, callers join the next, which starts when the running one ends; so under load one
 * statement answers every request that arrived during the previous one, and a lone request waits for nothing.
 * (A request that fixed its hot snapshot before asking for the catalog state thus gets a state read after it.)
 */
export class SharedRead<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const after = this.running.then(
      () => {},
      () => {},
    );
    const queued = after.then(() => {
      this.queued = undefined;
      return this.start();
    });
    this.queued = queued;
    return queued;
  }

  private start(): Promise<T> {
    const p = this.read();
    this.running = p;
    const done = () => {
      if (this.running === p) this.running = undefined;
    };
    p.then(done, done);
    return p;
  }
}
