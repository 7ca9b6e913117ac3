// Client-side preview of an accounts CSV: `src_user,src_password,dst_user,dst_password`
// per line, an optional header line, RFC 4180 quoting (passwords may hold commas).
// Line numbers are 1-based physical lines of the pasted text, as the server counts them.

export type CsvAccount = {
  line: number;
  src_username: string;
  src_password: string;
  dst_username: string;
  dst_password: string;
};

export type CsvLineError = { line: number; message: string };

export type CsvPreview = { accounts: CsvAccount[]; errors: CsvLineError[]; headerLine: number | null };

type CsvRecord = { line: number; fields: string[]; unterminated: boolean };

/** Split text into records, honouring quotes; each record keeps the line it starts on. */
export function splitCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let recordHasContent = false;

  const endRecord = () => {
    fields.push(field);
    if (recordHasContent || fields.length > 1) records.push({ line: recordLine, fields, unterminated: false });
    fields = [];
    field = '';
    recordHasContent = false;
  };

  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        inQuotes = false;
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      field = '';
      inQuotes = true;
      recordHasContent = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      recordHasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else {
      field += ch;
      if (ch !== ' ' && ch !== '\t') recordHasContent = true;
    }
  }
  if (inQuotes) {
    fields.push(field);
    records.push({ line: recordLine, fields, unterminated: true });
  } else {
    endRecord();
  }
  return records;
}

const HEADER = /^(src|source)[_ -]?user(name)?$/i;

/** Sides whose server signs in with OAuth2: their password column may stay empty. */
export type OAuthSides = readonly ('src' | 'dst')[];

function validate(record: CsvRecord, oauthSides: OAuthSides): string | CsvAccount {
  if (record.unterminated) return 'A quoted value is not closed (missing ")';
  if (record.fields.length !== 4) {
    return `Expected 4 values (source user, source password, destination user, destination password), found ${record.fields.length}`;
  }
  const [srcUser = '', srcPass = '', dstUser = '', dstPass = ''] = record.fields;
  const missing = [
    [srcUser.trim(), 'source user'],
    [oauthSides.includes('src') ? '-' : srcPass, 'source password'],
    [dstUser.trim(), 'destination user'],
    [oauthSides.includes('dst') ? '-' : dstPass, 'destination password'],
  ]
    .filter(([value]) => value === '')
    .map(([, name]) => name);
  if (missing.length > 0) return `Missing ${missing.join(', ')}`;
  if (/\s/.test(srcUser.trim()) || /\s/.test(dstUser.trim())) return 'A username contains spaces';
  return {
    line: record.line,
    src_username: srcUser.trim(),
    src_password: srcPass,
    dst_username: dstUser.trim(),
    dst_password: dstPass,
  };
}

export function parseAccountsCsv(text: string, oauthSides: OAuthSides = []): CsvPreview {
  const records = splitCsvRecords(text.replace(/^\uFEFF/, ''));
  const first = records[0];
  const headerLine = first && HEADER.test((first.fields[0] ?? '').trim()) ? first.line : null;
  const accounts: CsvAccount[] = [];
  const errors: CsvLineError[] = [];
  const firstLineOf = new Map<string, number>();

  for (const record of headerLine === null ? records : records.slice(1)) {
    const result = validate(record, oauthSides);
    if (typeof result === 'string') {
      errors.push({ line: record.line, message: result });
      continue;
    }
    const key = result.src_username.toLowerCase();
    const seen = firstLineOf.get(key);
    if (seen !== undefined) {
      errors.push({ line: record.line, message: `Source user ${result.src_username} is already on line ${seen}` });
      continue;
    }
    firstLineOf.set(key, record.line);
    accounts.push(result);
  }
  return { accounts, errors, headerLine };
}

/** Server 422 fields look like {"line 3": "..."}; anything else keeps its key as a label. */
export function serverLineErrors(fields: Record<string, string>): CsvLineError[] {
  return Object.entries(fields)
    .map(([key, message]) => {
      const match = /^line\s*(\d+)$/i.exec(key.trim());
      return { line: match ? Number(match[1]) : 0, message: match ? message : `${key}: ${message}` };
    })
    .toSorted((a, b) => a.line - b.line);
}
