import { describe, expect, it } from 'vitest';
import { parseAccountsCsv, serverLineErrors, splitCsvRecords } from '@/features/accounts/lib/accounts-csv';

describe('splitCsvRecords', () => {
  it('keeps the physical line each record starts on, skipping blank lines', () => {
    const records = splitCsvRecords('a,b\r\n\r\n  \nc,d\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'], unterminated: false },
      { line: 4, fields: ['c', 'd'], unterminated: false },
    ]);
  });

  it('reads quoted values with commas, doubled quotes and newlines', () => {
    const records = splitCsvRecords('"a,1","say ""hi""","multi\nline",x\nnext,1,2,3');
    expect(records[0]).toEqual({ line: 1, fields: ['a,1', 'say "hi"', 'multi\nline', 'x'], unterminated: false });
    expect(records[1]?.line).toBe(3);
  });

  it('reports an unclosed quote', () => {
    expect(splitCsvRecords('a,"b,c')[0]?.unterminated).toBe(true);
  });
});

describe('parseAccountsCsv', () => {
  it('accepts a header line and plain account lines', () => {
    const preview = parseAccountsCsv(
      'src_user,src_password,dst_user,dst_password\nalice@old,pw1,alice@new,pw2\nbob@old," p,w ",bob@new,x\n',
    );
    expect(preview.headerLine).toBe(1);
    expect(preview.errors).toEqual([]);
    expect(preview.accounts).toEqual([
      { line: 2, src_username: 'alice@old', src_password: 'pw1', dst_username: 'alice@new', dst_password: 'pw2' },
      { line: 3, src_username: 'bob@old', src_password: ' p,w ', dst_username: 'bob@new', dst_password: 'x' },
    ]);
  });

  it('works without a header and with a BOM', () => {
    const preview = parseAccountsCsv('\uFEFFalice,pw,alice2,pw2');
    expect(preview.headerLine).toBeNull();
    expect(preview.accounts).toHaveLength(1);
  });

  it('gives one error per bad line, numbered as the admin sees them', () => {
    const preview = parseAccountsCsv(
      ['alice,pw,alice2,pw2', 'bob,pw,bob2', '', 'carol,,carol2,pw', 'ALICE,pw,x,y', 'd e,pw,d,pw'].join('\n'),
    );
    expect(preview.accounts.map((a) => a.src_username)).toEqual(['alice']);
    expect(preview.errors).toEqual([
      { line: 2, message: expect.stringMatching(/Expected 4 values.*found 3/) },
      { line: 4, message: 'Missing source password' },
      { line: 5, message: 'Source user ALICE is already on line 1' },
      { line: 6, message: 'A username contains spaces' },
    ]);
  });

  it('is empty for empty input', () => {
    expect(parseAccountsCsv('  \n\n')).toEqual({ accounts: [], errors: [], headerLine: null });
  });
});

describe('serverLineErrors', () => {
  it('turns the 422 fields into sorted line errors', () => {
    expect(serverLineErrors({ 'line 10': 'bad', 'line 3': 'duplicate', body: 'too long' })).toEqual([
      { line: 0, message: 'body: too long' },
      { line: 3, message: 'duplicate' },
      { line: 10, message: 'bad' },
    ]);
  });

  it('lets the password of an OAuth2 side stay empty', () => {
    const text = 'a@contoso.example,,a@new.example,pw\nb@contoso.example,,b@new.example,\n';
    expect(parseAccountsCsv(text).errors.map((e) => e.line)).toEqual([1, 2]);
    const preview = parseAccountsCsv(text, ['src']);
    expect(preview.accounts.map((a) => a.src_username)).toEqual(['a@contoso.example']);
    expect(preview.errors).toEqual([{ line: 2, message: 'Missing destination password' }]);
  });
});
