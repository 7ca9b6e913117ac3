import { useNow } from '@/lib/use-now';
import type { Task } from '@/features/tasks/api/task-schema';
import { describeNextRun } from '@/features/tasks/lib/schedule';

export function NextRunText({ task }: { task: Task }) {
  const now = useNow();
  const next = describeNextRun(task, now);
  return (
    <span className={`next-run tone-${next.tone}`} data-testid="next-run" data-next-run-at={next.iso ?? undefined}>
      {next.iso && next.tone === 'normal' ? <time dateTime={next.iso}>{next.text}</time> : next.text}
    </span>
  );
}
