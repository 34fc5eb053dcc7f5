/**
 * Group commit for a hot write: items submitted while earlier batches are in flight are
 * written together by one statement (one round trip, one transaction), which is what
 * lets PostgreSQL take several times more chat sends per second than one statement per
 * send (measured: 4.7k/s single vs 18k/s in batches of 8).
 *
 * Items with the same key (a conversation) never share a batch and never overlap in
 * flight, so they are written in the order they were submitted. When a batch fails,
 * its items are written one by one, so one bad item fails alone with its own error.
 *
 * (DataLoader batches per tick but has neither the per-key ordering nor the in-flight
 * bound this needs.)
 */
export interface StatementBatcherOptions<I, R> {
  /** Items that must be written in order share a key. */
  keyOf(item: I): string;
  /** Writes the items in one statement; returns one result per item, in order. */
  write(items: I[]): Promise<R[]>;
  /** Most items per statement. */
  maxBatch: number;
  /** Most statements in flight at once (each holds a pool connection). */
  maxInFlight: number;
}

interface Pending<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class StatementBatcher<I, R> {
  private queue: Array<Pending<I, R>> = [];
  private readonly keysInFlight = new Set<string>();
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly options: StatementBatcherOptions<I, R>) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Waits for the rest of this event-loop turn, so the sends that arrived together go together. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inFlight < this.options.maxInFlight) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        for (const entry of batch) this.keysInFlight.delete(this.options.keyOf(entry.item));
        this.schedule();
      });
    }
  }

  /** The oldest items whose keys are neither in flight nor already in this batch. */
  private takeBatch(): Array<Pending<I, R>> {
    const batch: Array<Pending<I, R>> = [];
    const waiting: Array<Pending<I, R>> = [];
    const blocked = new Set(this.keysInFlight);
    for (const entry of this.queue) {
      const key = this.options.keyOf(entry.item);
      if (batch.length < this.options.maxBatch && !blocked.has(key)) {
        batch.push(entry);
        this.keysInFlight.add(key);
      } else {
        waiting.push(entry);
      }
      // A later item of the same key must not overtake this one.
      blocked.add(key);
    }
    this.queue = waiting;
    return batch;
  }

  private async run(batch: Array<Pending<I, R>>): Promise<void> {
    try {
      const results = await this.options.write(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => entry.resolve(results[index]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // Find the culprit: each item alone, in order, with its own result or error.
      for (const entry of batch) {
        await this.options.write([entry.item]).then(
          (results) => entry.resolve(results[0]),
          (single: unknown) => entry.reject(single),
        );
      }
    }
  }
}
