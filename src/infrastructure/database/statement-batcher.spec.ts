import { StatementBatcher } from './statement-batcher';

interface Item {
  key: string;
  value: number;
}

/** A fake statement: records each batch and resolves when the test says so. */
function recordingWriter(options: { failWhen?: (items: Item[]) => boolean } = {}) {
  const batches: Item[][] = [];
  const pending: Array<() => void> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = (items: Item[]): Promise<string[]> => {
    batches.push(items);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise((resolve, reject) =>
      pending.push(() => {
        inFlight -= 1;
        if (options.failWhen?.(items)) reject(new Error(`bad item in ${items.map((i) => i.value).join(',')}`));
        else resolve(items.map((i) => `${i.key}#${i.value}`));
      }),
    );
  };
  /** Lets every statement finish, turn by turn, until all the given submissions settled. */
  const release = async (submissions: Array<Promise<unknown>>): Promise<void> => {
    let settled = false;
    void Promise.allSettled(submissions).then(() => (settled = true));
    for (let turn = 0; !settled && turn < 1000; turn++) {
      pending.splice(0).forEach((done) => done());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { write, batches, release, maxInFlight: () => maxInFlight };
}

describe('StatementBatcher', () => {
  it('writes the items of one event-loop turn together and answers each with its own result', async () => {
    const writer = recordingWriter();
    const batcher = new StatementBatcher<Item, string>({ keyOf: (i) => i.key, write: writer.write, maxBatch: 10, maxInFlight: 2 });
    const submitted = ['a', 'b', 'c'].map((key, value) => batcher.submit({ key, value }));
    await writer.release(submitted);
    expect(await Promise.all(submitted)).toEqual(['a#0', 'b#1', 'c#2']);
    expect(writer.batches.map((b) => b.length)).toEqual([3]);
  });

  it('never puts two items of one key in the same batch or in flight together, and keeps their order', async () => {
    const writer = recordingWriter();
    const batcher = new StatementBatcher<Item, string>({ keyOf: (i) => i.key, write: writer.write, maxBatch: 10, maxInFlight: 4 });
    const submitted = [0, 1, 2, 3, 4].map((value) => batcher.submit({ key: value % 2 === 0 ? 'even' : 'odd', value }));
    await writer.release(submitted);
    await Promise.all(submitted);
    for (const batch of writer.batches) expect(new Set(batch.map((i) => i.key)).size).toBe(batch.length);
    const order = writer.batches.flat();
    expect(order.filter((i) => i.key === 'even').map((i) => i.value)).toEqual([0, 2, 4]);
    expect(order.filter((i) => i.key === 'odd').map((i) => i.value)).toEqual([1, 3]);
    expect(writer.batches.map((b) => b.map((i) => i.value))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('keeps at most maxInFlight statements running and at most maxBatch items in each', async () => {
    const writer = recordingWriter();
    const batcher = new StatementBatcher<Item, string>({ keyOf: (i) => i.key, write: writer.write, maxBatch: 3, maxInFlight: 2 });
    const submitted = Array.from({ length: 20 }, (_, value) => batcher.submit({ key: `k${value}`, value }));
    await writer.release(submitted);
    expect(await Promise.all(submitted)).toHaveLength(20);
    expect(writer.maxInFlight()).toBe(2);
    expect(Math.max(...writer.batches.map((b) => b.length))).toBe(3);
    expect(writer.batches.flat().map((i) => i.value)).toEqual(Array.from({ length: 20 }, (_, v) => v));
  });

  it('when a batch fails, writes its items one by one so only the bad one fails', async () => {
    const writer = recordingWriter({ failWhen: (items) => items.some((i) => i.value === 1) });
    const batcher = new StatementBatcher<Item, string>({ keyOf: (i) => i.key, write: writer.write, maxBatch: 10, maxInFlight: 1 });
    const submitted = [0, 1, 2].map((value) => batcher.submit({ key: `k${value}`, value }));
    await writer.release(submitted);
    const [first, second, third] = await Promise.allSettled(submitted);
    expect(first).toEqual({ status: 'fulfilled', value: 'k0#0' });
    expect(second).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: 'bad item in 1' }) });
    expect(third).toEqual({ status: 'fulfilled', value: 'k2#2' });
    expect(writer.batches.map((b) => b.map((i) => i.value))).toEqual([[0, 1, 2], [0], [1], [2]]);
  });
});
