/**
 * Serialises the writers that share one SQLite file inside one process. better-sqlite3 is
 * synchronous, so a writer that waited on SQLite's own lock (busy_timeout) would block the whole
 * event loop, including the asynchronous transaction that holds the lock: a deadlock for the
 * length of the timeout. Event appends and read-model transactions take this lock instead.
 * Other processes still meet at SQLite's file lock.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
