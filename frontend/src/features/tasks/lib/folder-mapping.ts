/** One row of the folder-mapping editor. */
export type FolderRow = {
  source: string;
  /** Where the plan says it will go now (explicit mapping or automatic). */
  plannedDestination: string;
  /** What the admin typed; empty means "automatic". */
  destination: string;
  excluded: boolean;
};

type PlanFolderLike = { source: string; destination: string | null; excluded: boolean };

export function rowsFromPlan(
  folders: readonly PlanFolderLike[],
  mapping: Readonly<Record<string, string>>,
  excludes: readonly string[],
): FolderRow[] {
  return folders.map((f) => ({
    source: f.source,
    // An excluded folder has no destination in the plan: show where it would go by name.
    plannedDestination: f.destination ?? f.source,
    destination: mapping[f.source] ?? '',
    excluded: f.excluded || excludes.includes(f.source),
  }));
}

/**
 * The PUT body: explicit mappings only where the admin typed a destination,
 * keeping mappings and exclusions for folders the plan did not list (the plan
 * shows one account; others may have more folders).
 */
export function folderMappingPayload(
  rows: readonly FolderRow[],
  mapping: Readonly<Record<string, string>>,
  excludes: readonly string[],
): { folder_mapping: Record<string, string>; exclude_folders: string[] } {
  const shown = new Set(rows.map((r) => r.source));
  const folderMapping: Record<string, string> = {};
  for (const [src, dst] of Object.entries(mapping)) if (!shown.has(src)) folderMapping[src] = dst;
  for (const row of rows) {
    const dst = row.destination.trim();
    if (dst) folderMapping[row.source] = dst;
  }
  const excluded = excludes.filter((f) => !shown.has(f));
  for (const row of rows) if (row.excluded) excluded.push(row.source);
  return { folder_mapping: folderMapping, exclude_folders: excluded };
}

/** Destinations that two source folders would both write into. */
export function duplicateDestinations(rows: readonly FolderRow[]): Set<string> {
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (row.excluded) continue;
    const dst = row.destination.trim() || row.plannedDestination;
    seen.set(dst, (seen.get(dst) ?? 0) + 1);
  }
  return new Set([...seen].filter(([, n]) => n > 1).map(([dst]) => dst));
}

const mappingKey = (m: Readonly<Record<string, string>>): string => JSON.stringify(Object.entries(m).toSorted());
const setKey = (list: readonly string[]): string => JSON.stringify([...new Set(list)].toSorted());

/** Whether saving would change nothing: same explicit mappings, same exclusions (order aside). */
export function isSameMapping(
  payload: { folder_mapping: Readonly<Record<string, string>>; exclude_folders: readonly string[] },
  mapping: Readonly<Record<string, string>>,
  excludes: readonly string[],
): boolean {
  return mappingKey(payload.folder_mapping) === mappingKey(mapping) && setKey(payload.exclude_folders) === setKey(excludes);
}
