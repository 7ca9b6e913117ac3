import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { TestStatus } from '@/features/accounts/api/account-schema';

const tones: Record<TestStatus, BadgeTone> = { ok: 'success', fail: 'danger', untested: 'neutral' };

type Props = {
  side: 'src' | 'dst';
  status: TestStatus;
  error: string | null;
  isTesting: boolean;
  expanded: boolean;
  onToggle: () => void;
  errorRowId: string;
};

/** One side's login test result; a failure is a button that reveals the error. */
export function TestStatusCell({ side, status, error, isTesting, expanded, onToggle, errorRowId }: Props) {
  const sideName = side === 'src' ? 'Source' : 'Destination';
  let content;
  if (isTesting) {
    content = (
      <Badge tone="info">
        <span className="spinner spinner-inline" aria-hidden="true" />
        testing
      </Badge>
    );
  } else if (status === 'fail') {
    content = (
      <button
        type="button"
        className="badge badge-danger badge-button"
        aria-expanded={expanded}
        aria-controls={errorRowId}
        title={error ?? 'Login failed'}
        onClick={onToggle}
      >
        fail <span aria-hidden="true">{expanded ? '▴' : '▾'}</span>
        <span className="visually-hidden"> — {expanded ? 'hide' : 'show'} the {sideName.toLowerCase()} error</span>
      </button>
    );
  } else {
    content = <Badge tone={tones[status]}>{status}</Badge>;
  }
  return (
    <td data-testid={`account-${side}-status`} data-status={isTesting ? 'testing' : status} data-label={`${sideName} login`}>
      {content}
    </td>
  );
}
