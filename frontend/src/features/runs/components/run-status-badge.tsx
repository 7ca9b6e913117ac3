import { Badge, type BadgeTone } from '@/components/ui/badge';

const tones: Record<string, BadgeTone> = {
  running: 'info',
  done: 'success',
  failed: 'danger',
  cancelled: 'warning',
  abandoned: 'warning',
  pending: 'neutral',
  queued: 'neutral',
  ok: 'success',
  partial: 'warning',
  skipped: 'neutral',
};

export function RunStatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <Badge tone={tones[status] ?? 'neutral'} data-testid={testId} data-status={status}>
      {status === 'running' ? <span className="pulse" aria-hidden="true" /> : null}
      {status}
    </Badge>
  );
}
