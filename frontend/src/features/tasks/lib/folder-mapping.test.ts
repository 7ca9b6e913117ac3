import { describe, expect, it } from 'vitest';
import {
  folderMappingPayload,
  isSameMapping,
  parsePatterns,
  rowsFromPlan,
  ruleWords,
} from '@/features/tasks/lib/folder-mapping';

const plan = [
  { source: 'INBOX', destination: 'INBOX', excluded: false },
  { source: 'Sent Items', destination: 'Sent', excluded: false },
  { source: 'Junk', destination: null, excluded: true, excluded_by: 'list' },
  { source: 'Old', destination: null, excluded: true, excluded_by: 'exclude rule ^Old' },
];
const noRules = { folder_include: [], folder_exclude: [] };

describe('folder mapping editor', () => {
  it('builds rows from the plan and the task settings, in the plan order', () => {
    const rows = rowsFromPlan(plan, { 'Sent Items': 'Sent' }, ['Junk']);
    expect(rows).toEqual([
      { source: 'INBOX', plannedDestination: 'INBOX', destination: '', excluded: false, planExcludedBy: null },
      { source: 'Sent Items', plannedDestination: 'Sent', destination: 'Sent', excluded: false, planExcludedBy: null },
      { source: 'Junk', plannedDestination: 'Junk', destination: '', excluded: true, planExcludedBy: 'list' },
      { source: 'Old', plannedDestination: 'Old', destination: '', excluded: false, planExcludedBy: 'exclude rule ^Old' },
    ]);
  });

  it('sends explicit mappings only for typed destinations, keeps unseen ones, and never lists a folder a rule left out', () => {
    const rows = rowsFromPlan(plan, { 'Sent Items': 'Sent', Archive2019: 'Archive/2019' }, ['Junk', 'Spam']);
    const edited = [...rows];
    edited[0] = { ...rows[0]!, destination: 'Old/INBOX' };
    edited[1] = { ...rows[1]!, destination: ' ' };
    const rules = { folder_include: ['^INBOX'], folder_exclude: [] };
    expect(folderMappingPayload(edited, { 'Sent Items': 'Sent', Archive2019: 'Archive/2019' }, ['Junk', 'Spam'], rules)).toEqual({
      folder_mapping: { Archive2019: 'Archive/2019', INBOX: 'Old/INBOX' },
      exclude_folders: ['Spam', 'Junk'],
      folder_include: ['^INBOX'],
      folder_exclude: [],
    });
  });

  it('knows when there is nothing to save, rules included', () => {
    const saved = { folder_mapping: { 'Sent Items': 'Sent' }, exclude_folders: ['Junk'], folder_include: ['a'], folder_exclude: [] };
    const rows = rowsFromPlan(plan, saved.folder_mapping, saved.exclude_folders);
    const same = (r = rows, rules = { folder_include: ['a'], folder_exclude: [] }) =>
      isSameMapping(folderMappingPayload(r, saved.folder_mapping, saved.exclude_folders, rules), saved);
    expect(same()).toBe(true);
    expect(same(rows, { folder_include: ['a', 'b'], folder_exclude: [] })).toBe(false);
    expect(same(rows, noRules)).toBe(false);
    const unexcluded = [...rows];
    unexcluded[2] = { ...rows[2]!, excluded: false };
    expect(same(unexcluded)).toBe(false);
  });

  it('reads one pattern per line, skipping blank lines and remembering where each was', () => {
    expect(parsePatterns('^INBOX$\n\n  (?i)projects  \n')).toEqual({ patterns: ['^INBOX$', '(?i)projects'], lines: [1, 3] });
    expect(parsePatterns('')).toEqual({ patterns: [], lines: [] });
  });

  it('says in words which rule decided', () => {
    expect(ruleWords('include rules')).toBe('no include rule matches');
    expect(ruleWords('exclude rule /2019$')).toBe('exclude rule /2019$');
    expect(ruleWords(null)).toBe('no rule');
  });
});
