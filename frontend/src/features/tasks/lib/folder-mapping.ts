/** One row of the folder-mapping editor. */
export type FolderRow = {
  source: string;
  /** Where the plan says it will go now (explicit mapping or automatic). */
  plannedDestination: string;
  /** What the admin typed; empty means "automatic". */
  destination: string;
  /** On the exclusion list (the row's Exclude box); rules are separate (folder_include/exclude). */
  excluded: boolean;
  /** Why the plan left it out ("list", "include rules", "exclude rule <p>", "provider"), or null. */
  planExcludedBy: string | null;
};

type PlanFolderLike = { source: string; destination: string | null; excluded: boolean; excluded_by?: string | null };

export function rowsFromPlan(
  folders: readonly PlanFolderLike[],
  mapping: Readonly<Record<string, string>>,
  excludes: readonly string[],
): FolderRow[] {
  return folders.map((f) => {
    const planExcludedBy = f.excluded ? (f.excluded_by ?? 'list') : null;
    return {
      source: f.source,
      // An excluded folder has no destination in the plan: show where it would go by name.
      plannedDestination: f.destination ?? f.source,
      destination: mapping[f.source] ?? '',
      // Only the list is the row's own box: a folder a rule leaves out is not put on the list.
      excluded: excludes.includes(f.source) || planExcludedBy === 'list',
      planExcludedBy,
    };
  });
}

export type FolderRules = { folder_include: string[]; folder_exclude: string[] };

/** Rule patterns typed one per line: blank lines skipped, spaces around a pattern ignored. */
export function parsePatterns(text: string): { patterns: string[]; lines: number[] } {
  const patterns: string[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    const pattern = line.trim();
    if (pattern === '') return;
    patterns.push(pattern);
    lines.push(i + 1);
  });
  return { patterns, lines };
}

export type FolderMappingBody = {
  folder_mapping: Record<string, string>;
  exclude_folders: string[];
} & FolderRules;

/**
 * The PUT body: explicit mappings only where the admin typed a destination,
 * keeping mappings and exclusions for folders the plan did not list (the plan
 * shows one account; others may have more folders), and the rules as typed.
 */
export function folderMappingPayload(
  rows: readonly FolderRow[],
  mapping: Readonly<Record<string, string>>,
  excludes: readonly string[],
  rules: FolderRules,
): FolderMappingBody {
  const shown = new Set(rows.map((r) => r.source));
  const folderMapping: Record<string, string> = {};
  for (const [src, dst] of Object.entries(mapping)) if (!shown.has(src)) folderMapping[src] = dst;
  for (const row of rows) {
    const dst = row.destination.trim();
    if (dst) folderMapping[row.source] = dst;
  }
  const excluded = excludes.filter((f) => !shown.has(f));
  for (const row of rows) if (row.excluded) excluded.push(row.source);
  return { folder_mapping: folderMapping, exclude_folders: excluded, ...rules };
}

const mappingKey = (m: Readonly<Record<string, string>>): string => JSON.stringify(Object.entries(m).toSorted());
const setKey = (list: readonly string[]): string => JSON.stringify([...new Set(list)].toSorted());

type Saved = {
  folder_mapping: Readonly<Record<string, string>>;
  exclude_folders: readonly string[];
  folder_include?: readonly string[];
  folder_exclude?: readonly string[];
};

/** Whether saving would change nothing: same mappings, exclusions (order aside) and rules (in order). */
export function isSameMapping(payload: FolderMappingBody, saved: Saved): boolean {
  return (
    mappingKey(payload.folder_mapping) === mappingKey(saved.folder_mapping) &&
    setKey(payload.exclude_folders) === setKey(saved.exclude_folders) &&
    JSON.stringify(payload.folder_include) === JSON.stringify(saved.folder_include ?? []) &&
    JSON.stringify(payload.folder_exclude) === JSON.stringify(saved.folder_exclude ?? [])
  );
}

/** How a rule decision reads next to a folder. */
export function ruleWords(decidedBy: string | null): string {
  if (decidedBy === null) return 'no rule';
  if (decidedBy === 'list') return 'on the exclusion list';
  if (decidedBy === 'include rules') return 'no include rule matches';
  if (decidedBy === 'provider') return "the provider's view folder";
  return decidedBy;
}
