// Tracking login tests the admin started: a test is finished when the account's
// tested_at changes (compared with its value when the test was asked for), so
// the browser's and the server's clocks never need to agree.

export type PendingTests = { startedAt: number; before: Record<number, string | null> };

type TestedAccount = { id: number; tested_at: string | null };

/** Give up waiting after this long; the table then shows whatever the server has. */
export const TEST_TIMEOUT_MS = 90_000;

export function startPendingTests(accounts: readonly TestedAccount[], now: number): PendingTests {
  const before: Record<number, string | null> = {};
  for (const account of accounts) before[account.id] = account.tested_at;
  return { startedAt: now, before };
}

export function testingAccountIds(
  pending: PendingTests | null,
  accounts: readonly TestedAccount[] | undefined,
  now: number,
): Set<number> {
  if (!pending || !accounts || now - pending.startedAt > TEST_TIMEOUT_MS) return new Set();
  return new Set(
    accounts
      // A server may clear tested_at when a test starts: null is "not done" too.
      .filter((a) => a.id in pending.before && (a.tested_at === null || pending.before[a.id] === a.tested_at))
      .map((a) => a.id),
  );
}

export type AccountReadinessSummary = { total: number; ok: number; failed: number; untested: number };

/** Ready means a successful login on both sides. */
export function summarizeReadiness(
  accounts: readonly { test_src_status: string; test_dst_status: string }[],
): AccountReadinessSummary {
  let ok = 0;
  let failed = 0;
  let untested = 0;
  for (const a of accounts) {
    if (a.test_src_status === 'fail' || a.test_dst_status === 'fail') failed += 1;
    else if (a.test_src_status === 'ok' && a.test_dst_status === 'ok') ok += 1;
    else untested += 1;
  }
  return { total: accounts.length, ok, failed, untested };
}
