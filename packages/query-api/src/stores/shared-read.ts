/**
 * A read that concurrent requests share, without ever handing one a result older than its call: a caller gets
 * the result of a read that STARTS after it asked — the one not sent yet if there is one, else a new one. A new
 * read is sent once the event loop has taken in what it has ready (`setImmediate`), so the requests it parsed in
 * the same turn share it; while a read is in flight, callers join the next, which is sent when the running one
 * ends. Under load one statement answers many requests; a lone request waits a turn of an idle loop.
 * (A request that fixed its hot snapshot before asking for the catalog state thus gets a state read after it.)
 */
export class SharedRead<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.queued) return this.queued;
    const before = this.running;
    const queued = new Promise<void>((resolve) => {
      if (before)
        before.then(
          () => resolve(),
          () => resolve(),
        );
      else setImmediate(resolve);
    }).then(() => {
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
