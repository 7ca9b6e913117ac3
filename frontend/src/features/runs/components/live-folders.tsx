import { formatCount, formatCountOf } from '@/lib/format';
import { foldersDone, type FolderProgress } from '@/features/runs/lib/live-folders';

const STATE_WORDS: Record<FolderProgress['state'], string> = { planned: 'waiting', running: 'copying', done: 'done' };

function countText(f: FolderProgress): string {
  const processed = f.copied + f.skipped + f.errors;
  if (f.state === 'planned') return f.planned === null ? '' : `${formatCountOf(f.planned, 'message')} to look at`;
  return f.planned === null ? `${formatCount(processed)} looked at` : `${formatCount(processed)} of ${formatCount(f.planned)}`;
}

/** The running account's folders: the one being copied, the done ones and those still to come. */
export function LiveFolders({ folders, name }: { folders: FolderProgress[]; name: string }) {
  if (folders.length === 0) return null;
  const done = foldersDone(folders);
  return (
    <details className="small live-folders" data-testid="live-folders">
      <summary>
        Folders: {formatCount(done)} of {formatCountOf(folders.length, 'folder')} done
        <span className="visually-hidden"> for {name}</span>
      </summary>
      <ul className="live-folder-list">
        {folders.map((f) => (
          <li key={f.folder} data-testid="live-folder" data-folder={f.folder} data-state={f.state}>
            <span className={`mono wrap-anywhere ${f.state === 'running' ? 'strong' : ''}`}>{f.folder}</span>{' '}
            <span className={f.state === 'planned' ? 'muted' : undefined}>
              {STATE_WORDS[f.state]}
              {f.status && f.status !== 'ok' ? ` (${f.status})` : ''}
            </span>
            {countText(f) ? <span className="muted"> · {countText(f)}</span> : null}
            {f.errors > 0 ? <span className="text-danger"> · {formatCountOf(f.errors, 'error')}</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
