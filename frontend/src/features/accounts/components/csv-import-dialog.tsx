import { useId, useState, type ChangeEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Modal } from '@/components/ui/modal';
import { ApiError } from '@/lib/api-client';
import { formatCount, formatCountOf } from '@/lib/format';
import { pushToast } from '@/lib/notifications';
import { useImportAccounts } from '@/features/accounts/api/import-accounts';
import {
  parseAccountsCsv,
  serverLineErrors,
  type CsvLineError,
  type OAuthSides,
} from '@/features/accounts/lib/accounts-csv';

type Props = {
  taskId: number;
  open: boolean;
  onClose: () => void;
  /** Sides that sign in with OAuth2: their passwords may be left empty. */
  oauthSides?: OAuthSides;
};

const NO_SIDES: OAuthSides = [];

const EXAMPLE = 'src_user,src_password,dst_user,dst_password\nalice@old.example,secret1,alice@new.example,secret2';
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export function CsvImportDialog({ taskId, open, onClose, oauthSides = NO_SIDES }: Props) {
  return (
    <Modal open={open} onClose={onClose} title="Import accounts from CSV" size="lg" testId="csv-import-dialog">
      <CsvImport taskId={taskId} onDone={onClose} oauthSides={oauthSides} />
    </Modal>
  );
}

function CsvImport({ taskId, onDone, oauthSides }: { taskId: number; onDone: () => void; oauthSides: OAuthSides }) {
  const [text, setText] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<CsvLineError[]>([]);
  const [upsert, setUpsert] = useState(false);
  const textId = useId();
  const fileId = useId();
  const importer = useImportAccounts(taskId, {
    onSuccess: ({ imported, created, updated }) => {
      // The server's own counts: what it added and what it updated.
      const parts = updated ? ` (${formatCount(created ?? 0)} added, ${formatCount(updated)} updated)` : '';
      pushToast(`Imported ${imported} account${imported === 1 ? '' : 's'}${parts}`);
      onDone();
    },
  });
  const preview = parseAccountsCsv(text, oauthSides);
  const lineErrors = serverErrors.length > 0 ? serverErrors : preview.errors;
  // After a refusal the server's line errors count: nothing was imported, and the button says so.
  const ready = Math.max(preview.accounts.length - serverErrors.filter((e) => e.line > 0).length, 0);
  const blockReason =
    preview.accounts.length === 0 && preview.errors.length === 0
      ? 'Paste or upload a CSV first.'
      : lineErrors.length > 0
        ? `Fix ${formatCountOf(lineErrors.length, 'line')} first.`
        : null;

  const onText = (value: string) => {
    setText(value);
    setServerErrors([]);
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setFileError('That file is larger than 5 MB; is it really an accounts list?');
      return;
    }
    onText(await file.text());
  };

  const submit = () =>
    importer.mutate({ csv: text, upsert }, {
      onError: (error) => {
        if (error instanceof ApiError) setServerErrors(serverLineErrors(error.fields));
      },
    });

  return (
    <div className="stack" data-testid="csv-import">
      <p className="muted">
        One account per line: <code>source user, source password, destination user, destination password</code>. A
        header line is optional; quote values that contain commas.
      </p>
      <div className="field">
        <label htmlFor={textId}>Paste CSV</label>
        <textarea
          id={textId}
          className="mono"
          rows={8}
          value={text}
          placeholder={EXAMPLE}
          spellCheck={false}
          onChange={(event) => onText(event.target.value)}
          data-autofocus
          data-testid="csv-text"
        />
      </div>
      <div className="field">
        <label htmlFor={fileId}>Or upload a .csv file</label>
        <input id={fileId} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void onFile(e)} data-testid="csv-file" />
        {fileError ? (
          <p className="field-error" role="alert">
            {fileError}
          </p>
        ) : null}
      </div>
      <div className="checkbox-field">
        <input
          id={`${fileId}-upsert`}
          type="checkbox"
          checked={upsert}
          onChange={(event) => {
            setUpsert(event.target.checked);
            setServerErrors([]);
          }}
          data-testid="csv-upsert"
        />
        <label htmlFor={`${fileId}-upsert`}>
          Update the accounts already in this task (new passwords); add the others
        </label>
      </div>
      <CsvPreviewSummary accounts={ready} errors={lineErrors} fromServer={serverErrors.length > 0} />
      <div className="form-actions">
        {blockReason ? (
          <span className="action-reason" id="csv-import-reason">
            {blockReason}
          </span>
        ) : null}
        <Button onClick={onDone}>Cancel</Button>
        <Button requires="operator"
          variant="primary"
          onClick={submit}
          disabled={blockReason !== null}
          isLoading={importer.isPending}
          aria-describedby={blockReason ? 'csv-import-reason' : undefined}
          data-testid="csv-import-button"
        >
          {ready > 0 && !blockReason ? `Import ${formatCountOf(ready, 'account')}` : 'Import accounts'}
        </Button>
      </div>
    </div>
  );
}

function CsvPreviewSummary({ accounts, errors, fromServer }: { accounts: number; errors: CsvLineError[]; fromServer: boolean }) {
  if (accounts === 0 && errors.length === 0) return null;
  return (
    <div className="csv-preview" data-testid="csv-preview" aria-live="polite">
      <p>
        <strong>{formatCount(accounts)}</strong> account{accounts === 1 ? '' : 's'} ready to import
        {errors.length > 0 ? (
          <>
            , <strong className="text-danger">{formatCount(errors.length)}</strong> line{errors.length === 1 ? '' : 's'} with
            problems{fromServer ? ' (reported by the server)' : ''}:
          </>
        ) : (
          '.'
        )}
      </p>
      {errors.length > 0 ? (
        <ul className="line-errors">
          {errors.map((e) => (
            <li key={`${e.line}-${e.message}`} data-testid="csv-line-error" data-line={e.line || undefined}>
              {e.line > 0 ? <span className="line-no">Line {e.line}</span> : null}
              {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
