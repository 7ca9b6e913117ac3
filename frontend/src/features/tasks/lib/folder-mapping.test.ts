import { describe, expect, it } from 'vitest';
import {
  duplicateDestinations,
  folderMappingPayload,
  isSameMapping,
  rowsFromPlan,
} from '@/features/tasks/lib/folder-mapping';

const plan = [
  { source: 'INBOX', destination: 'INBOX', excluded: false },
  { source: 'Sent Items', destination: 'Sent', excluded: false },
  { source: 'Junk', destination: 'Junk', excluded: true },
];

describe('folder mapping editor', () => {
  it('builds rows from the plan and the task settings', () => {
    const rows = rowsFromPlan(plan, { 'Sent Items': 'Sent' }, ['Junk']);
    expect(rows).toEqual([
      { source: 'INBOX', plannedDestination: 'INBOX', destination: '', excluded: false },
      { source: 'Sent Items', plannedDestination: 'Sent', destination: 'Sent', excluded: false },
      { source: 'Junk', plannedDestination: 'Junk', destination: '', excluded: true },
    ]);
  });

  it('sends explicit mappings only for typed destinations and keeps unseen ones', () => {
    const rows = rowsFromPlan(plan, { 'Sent Items': 'Sent', Archive2019: 'Archive/2019' }, ['Junk', 'Spam']);
    const edited = [...rows];
    edited[0] = { ...rows[0]!, destination: 'Old/INBOX' };
    edited[1] = { ...rows[1]!, destination: ' ' };
    expect(folderMappingPayload(edited, { 'Sent Items': 'Sent', Archive2019: 'Archive/2019' }, ['Junk', 'Spam'])).toEqual({
      folder_mapping: { Archive2019: 'Archive/2019', INBOX: 'Old/INBOX' },
      exclude_folders: ['Spam', 'Junk'],
    });
  });

  it('flags two folders landing in the same destination, ignoring excluded ones', () => {
    const rows = rowsFromPlan(plan, {}, []);
    rows[1] = { ...rows[1]!, destination: 'INBOX' };
    expect(duplicateDestinations(rows)).toEqual(new Set(['INBOX']));
    rows[0] = { ...rows[0]!, excluded: true };
    expect(duplicateDestinations(rows).size).toBe(0);
  });

  it('knows when there is nothing to save', () => {
    const mapping = { 'Sent Items': 'Sent' };
    const rows = rowsFromPlan(plan, mapping, ['Junk']);
    expect(isSameMapping(folderMappingPayload(rows, mapping, ['Junk']), mapping, ['Junk'])).toBe(true);
    rows[2] = { ...rows[2]!, excluded: false };
    expect(isSameMapping(folderMappingPayload(rows, mapping, ['Junk']), mapping, ['Junk'])).toBe(false);
    rows[2] = { ...rows[2]!, excluded: true, destination: 'Spam' };
    expect(isSameMapping(folderMappingPayload(rows, mapping, ['Junk']), mapping, ['Junk'])).toBe(false);
  });
});
