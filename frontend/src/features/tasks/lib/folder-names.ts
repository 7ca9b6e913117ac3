// The destination names the folder mapping may hold, checked as you type (docs/console.md,
// "Folder rules"). The first rules need no server and are the API's own (app/folder_rules.py,
// same wording): it refuses them too. The others need the destination's hierarchy separator and
// namespace prefixes, which the dry-run plan carries; the API cannot check them without IMAP.

/** What the plan says about the destination server. */
export type DestinationLayout = {
  separator: string;
  /** The personal namespace prefix ("INBOX." on Courier-style servers, else empty). */
  prefix: string;
  /** Other users' and shared namespaces ("Other Users/", "Shared/", "user."). */
  otherPrefixes: readonly string[];
};

const WILDCARDS = ['*', '%'];

const isControl = (char: string): boolean => {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
};

const isInbox = (name: string): boolean => name.toUpperCase() === 'INBOX';

/** Why no server can hold the name (the API's rule set); null when it can. */
export function nameProblem(name: string): string | null {
  if (name.trim() === '') return 'Enter a folder name (or leave it empty for the automatic one).';
  if (WILDCARDS.some((w) => name.includes(w))) return 'A folder name cannot hold "*" or "%": IMAP reads them as LIST wildcards.';
  if ([...name].some(isControl)) return 'A folder name cannot hold control characters (tabs, line breaks).';
  return null;
}

/** Why this destination cannot hold the name under its separator and namespaces; null when it can. */
export function layoutProblem(name: string, layout: DestinationLayout): string | null {
  const sep = layout.separator;
  if (sep && (name.startsWith(sep) || name.endsWith(sep) || name.includes(sep + sep))) {
    return `A level of the name is empty: "${sep}" (this server's separator) at the start, at the end or twice in a row.`;
  }
  const other = layout.otherPrefixes.find((p) => p && name.startsWith(p));
  if (other) return `"${other}" is another namespace (other users' or shared folders): the folder would not be in this mailbox.`;
  if (layout.prefix && !isInbox(name) && !name.startsWith(layout.prefix)) {
    return `This server keeps folders under "${layout.prefix}": write ${layout.prefix}${name}.`;
  }
  if (sep && sep !== '/' && name.includes('/')) {
    return `This server separates levels with "${sep}", so "/" would be part of the name: for a subfolder write ${name.replaceAll('/', sep)}.`;
  }
  return null;
}

/** Names that are one folder on every server: INBOX in any case (the API's destination_key). */
export const destinationKey = (name: string): string => (isInbox(name) ? 'INBOX' : name);

/** A mapping row as the checks see it. */
export type NameRow = {
  source: string;
  /** What the admin typed (raw); empty means the automatic destination. */
  destination: string;
  /** Where the plan sends it when nothing is typed. */
  plannedDestination: string;
  /** Whether the folder is copied at all (not excluded by the list or a rule). */
  copied: boolean;
};

/**
 * Per source folder, why its typed destination is refused: a name no server can hold, one this
 * destination cannot hold, or a destination another folder goes to as well: typed for another
 * folder (copied or not, as the API counts them: it refuses the pair) or where a copied folder
 * lands automatically.
 */
export function mappingProblems(rows: readonly NameRow[], layout: DestinationLayout): Map<string, string> {
  const problems = new Map<string, string>();
  const landing = new Map<string, string[]>(); // destination -> the sources that go there
  const typed: { source: string; key: string }[] = [];
  const add = (key: string, source: string) => landing.set(key, [...(landing.get(key) ?? []), source]);
  for (const row of rows) {
    if (row.destination === '') {
      if (row.copied) add(destinationKey(row.plannedDestination), row.source);
      continue;
    }
    const name = row.destination.trim();
    const problem = nameProblem(name) ?? layoutProblem(name, layout);
    if (problem) {
      problems.set(row.source, problem);
      continue;
    }
    typed.push({ source: row.source, key: destinationKey(name) });
    add(destinationKey(name), row.source);
  }
  for (const { source, key } of typed) {
    const others = (landing.get(key) ?? []).filter((s) => s !== source);
    if (others.length > 0) {
      const list = others.map((s) => `"${s}"`).join(', ');
      problems.set(source, `${list} also goes to "${key}": two folders cannot share a destination.`);
    }
  }
  return problems;
}
