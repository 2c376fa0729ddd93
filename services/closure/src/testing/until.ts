/** Polls `predicate` until it holds; fails with `what` after the timeout, so a hung test says what it waited for. */
export async function until(what: string, predicate: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `select count(*)` as a number, whichever engine returned it. */
export async function countRows(db: { query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }> }, from: string) {
  const { rows } = await db.query(`select count(*) as n from ${from}`);
  return Number(rows[0]?.n);
}
