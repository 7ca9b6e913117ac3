import { Badge } from '@/components/ui/badge';
import { describeStatus } from '@/lib/status-display';

type Props = {
  status: string;
  /** Messages refused: a "done" run or "ok" account with errors reads "done with errors". */
  errors?: number;
  testId?: string;
};

export function RunStatusBadge({ status, errors = 0, testId }: Props) {
  const shown = describeStatus(status, errors);
  return (
    <Badge tone={shown.tone} data-testid={testId} data-status={status} title={shown.hint ?? undefined}>
      {status === 'running' ? <span className="pulse" aria-hidden="true" /> : null}
      {shown.label}
    </Badge>
  );
}
