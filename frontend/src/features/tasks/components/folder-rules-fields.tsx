import { formatCount, formatCountOf } from '@/lib/format';
import type { FolderRulesPreviewOut } from '@/features/tasks/api/preview-folder-rules';
import { ruleWords } from '@/features/tasks/lib/folder-mapping';

type RuleFieldProps = {
  id: string;
  label: string;
  hint: string;
  value: string;
  errors: string[];
  onChange: (text: string) => void;
  testId: string;
};

function RuleField({ id, label, hint, value, errors, onChange, testId }: RuleFieldProps) {
  const invalid = errors.length > 0;
  return (
    <div className={`field ${invalid ? 'field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        value={value}
        spellCheck={false}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-hint ${id}-error` : `${id}-hint`}
        data-testid={testId}
      />
      <p className="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      {invalid ? (
        <p className="field-error" id={`${id}-error`} data-testid={`${testId}-error`}>
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

type Props = {
  idPrefix: string;
  includeText: string;
  excludeText: string;
  onIncludeChange: (text: string) => void;
  onExcludeChange: (text: string) => void;
  includeErrors: string[];
  excludeErrors: string[];
  preview: FolderRulesPreviewOut | undefined;
  isPreviewing: boolean;
};

/** The include/exclude regex rules, with the server's preview of what they match as you type. */
export function FolderRulesFields(props: Props) {
  const { idPrefix, preview } = props;
  return (
    <fieldset className="fieldset folder-rules" data-testid="folder-rules">
      <legend>Folder rules</legend>
      <p className="field-hint">
        Python regular expressions, one per line, searched in each source folder’s name written with “/” between levels
        (INBOX/Receipts, Projects/2024); case-sensitive unless a pattern starts with (?i). They apply to INBOX too. Saved
        with the mapping.
      </p>
      <div className="grid-2">
        <RuleField
          id={`${idPrefix}-include`}
          label="Copy only folders matching"
          hint="Empty: every folder."
          value={props.includeText}
          errors={props.includeErrors}
          onChange={props.onIncludeChange}
          testId="rules-include"
        />
        <RuleField
          id={`${idPrefix}-exclude`}
          label="Never copy folders matching"
          hint="Checked before the include rules."
          value={props.excludeText}
          errors={props.excludeErrors}
          onChange={props.onExcludeChange}
          testId="rules-exclude"
        />
      </div>
      {preview ? <RulesPreview preview={preview} isPreviewing={props.isPreviewing} /> : null}
    </fieldset>
  );
}

function RulesPreview({ preview, isPreviewing }: { preview: FolderRulesPreviewOut; isPreviewing: boolean }) {
  const total = preview.folders.length;
  const inbox = preview.folders.find((f) => f.name.toUpperCase() === 'INBOX');
  return (
    <div className="rules-preview" data-testid="rules-preview" aria-busy={isPreviewing || undefined}>
      <p aria-live="polite" data-testid="rules-preview-counts" data-copied={preview.copied} data-excluded={preview.excluded}>
        <strong>{formatCount(preview.copied)}</strong> of {formatCountOf(total, 'folder')} copied,{' '}
        <strong>{formatCount(preview.excluded)}</strong> left out{isPreviewing ? ' (updating…)' : ''}.
      </p>
      {inbox && !inbox.copied ? (
        <p className="text-warning" data-testid="rules-preview-inbox">
          INBOX is left out ({ruleWords(inbox.decided_by)}): no message of the inbox is copied.
        </p>
      ) : null}
      <details className="small">
        <summary>What each folder matches</summary>
        <ul className="rules-preview-list">
          {preview.folders.map((f) => (
            <li key={f.name} data-testid="rules-preview-folder" data-folder={f.name} data-copied={f.copied}>
              <span className="mono wrap-anywhere">{f.name}</span>{' '}
              <span className={f.copied ? undefined : 'text-warning'}>{f.copied ? 'copied' : 'left out'}</span>
              {f.decided_by ? <span className="muted"> · {ruleWords(f.decided_by)}</span> : null}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
