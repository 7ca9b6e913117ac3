// Which accounts the live run lists: with hundreds of accounts, the ones that need an eye (running,
// failed, with errors) come first and the rest are counted by status instead of listed.

type Item = { accountId: number; status: string; errors: number };

/** Up to this many accounts are listed before the rest collapse into counts. */
export const LISTED_AT_MOST = 20;

const STATUS_ORDER: Record<string, number> = { running: 0, failed: 1, abandoned: 1, partial: 2 };

function rank(item: Item): number {
  const base = STATUS_ORDER[item.status];
  if (base !== undefined) return base;
  return item.errors > 0 ? 2 : 3;
}

export type LiveList<T> = { listed: T[]; collapsed: { status: string; count: number }[] };

/** `items` in attention order (running, failed, with errors, then the rest, each by `order`),
 * the first LISTED_AT_MOST of them listed unless `all`, the others counted per status. */
export function liveList<T extends Item>(items: readonly T[], order: (a: T, b: T) => number, all = false): LiveList<T> {
  const sorted = items.toSorted((a, b) => rank(a) - rank(b) || order(a, b));
  if (all || sorted.length <= LISTED_AT_MOST) return { listed: sorted, collapsed: [] };
  const listed = sorted.slice(0, LISTED_AT_MOST);
  const counts = new Map<string, number>();
  for (const item of sorted.slice(LISTED_AT_MOST)) counts.set(item.status, (counts.get(item.status) ?? 0) + 1);
  return { listed, collapsed: [...counts].map(([status, count]) => ({ status, count })) };
}
