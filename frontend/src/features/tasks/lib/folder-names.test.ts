import { describe, expect, it } from 'vitest';
import {
  destinationKey,
  layoutProblem,
  mappingProblems,
  nameProblem,
  type DestinationLayout,
  type NameRow,
} from '@/features/tasks/lib/folder-names';

const dovecot: DestinationLayout = { separator: '/', prefix: '', otherPrefixes: ['shared/'] };
const courier: DestinationLayout = { separator: '.', prefix: 'INBOX.', otherPrefixes: ['#shared.'] };

const row = (source: string, destination: string, plannedDestination = source, copied = true): NameRow => ({
  source,
  destination,
  plannedDestination,
  copied,
});

describe('nameProblem (the API refuses these too)', () => {
  it.each(['Archive', 'INBOX', 'Réunions/Équipe', 'Reports 1.5', '[Gmail]/Sent'])('accepts %s', (name) => {
    expect(nameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'Enter a folder name'],
    ['   ', 'Enter a folder name'],
    ['Archive/*', 'LIST wildcards'],
    ['100%', 'LIST wildcards'],
    ['line\nbreak', 'control characters'],
    ['tab\there', 'control characters'],
    ['c1\u0085', 'control characters'],
  ])('refuses %j', (name, words) => {
    expect(nameProblem(name)).toContain(words);
  });
});

describe('layoutProblem (needs the plan: the UI only)', () => {
  it('refuses an empty level at the start, the end or twice in a row', () => {
    for (const name of ['/Archive', 'Archive/', 'Archive//2020']) expect(layoutProblem(name, dovecot)).toContain('level of the name is empty');
    expect(layoutProblem('INBOX..Archive', courier)).toContain('"." (this server\'s separator)');
    expect(layoutProblem('Archive/2020', dovecot)).toBeNull();
  });

  it('keeps names under the personal prefix, INBOX aside', () => {
    expect(layoutProblem('Archive', courier)).toBe('This server keeps folders under "INBOX.": write INBOX.Archive.');
    expect(layoutProblem('INBOX.Archive', courier)).toBeNull();
    expect(layoutProblem('inbox', courier)).toBeNull();
  });

  it('refuses another namespace', () => {
    expect(layoutProblem('shared/team', dovecot)).toContain('"shared/" is another namespace');
    expect(layoutProblem('#shared.team', courier)).toContain('another namespace');
  });

  it('refuses "/" where it is not the separator, and says how to write a subfolder', () => {
    expect(layoutProblem('INBOX.Archive/2020', courier)).toBe(
      'This server separates levels with ".", so "/" would be part of the name: for a subfolder write INBOX.Archive.2020.',
    );
    expect(layoutProblem('Reports 1.5', dovecot)).toBeNull(); // "." is an ordinary character on a "/" server
  });
});

describe('mappingProblems', () => {
  it('refuses two typed destinations that meet, both named, INBOX in any case', () => {
    const problems = mappingProblems([row('Sent Items', 'Sent'), row('Gesendet', 'Sent'), row('Old', 'inbox'), row('INBOX', 'INBOX')], dovecot);
    expect(problems.get('Gesendet')).toBe('"Sent Items" also goes to "Sent": two folders cannot share a destination.');
    expect(problems.get('Sent Items')).toContain('"Gesendet"');
    expect(problems.get('Old')).toBe('"INBOX" also goes to "INBOX": two folders cannot share a destination.');
    expect(destinationKey('Inbox')).toBe('INBOX');
  });

  it('refuses a typed destination where another copied folder lands automatically, not the other way round', () => {
    const problems = mappingProblems([row('Sent Items', '', 'Sent'), row('Old Sent', 'Sent')], dovecot);
    expect([...problems.keys()]).toEqual(['Old Sent']);
    expect(problems.get('Old Sent')).toContain('"Sent Items" also goes to "Sent"');
  });

  it('lets a typed destination take the place of a folder that is not copied', () => {
    expect(mappingProblems([row('Sent Items', '', 'Sent', false), row('Old Sent', 'Sent')], dovecot).size).toBe(0);
  });

  it('checks the name against the layout, trimmed, and leaves empty fields to the automatic mapping', () => {
    const problems = mappingProblems([row('A', ' Archive '), row('B', ''), row('C', '  ')], courier);
    expect(problems.get('A')).toContain('write INBOX.Archive');
    expect(problems.has('B')).toBe(false);
    expect(problems.get('C')).toContain('Enter a folder name');
  });
});
