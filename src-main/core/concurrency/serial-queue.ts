// Runs async tasks one after another: each starts once the one before has settled, and a failure fails only the
// caller of that task, never the ones queued behind it.
export class SerialQueue {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.last.then(task);
    this.last = result.catch(() => undefined);
    return result;
  }
}
