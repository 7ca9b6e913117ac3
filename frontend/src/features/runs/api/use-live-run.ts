import { skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys } from '@/lib/query-keys';
import { useTaskEvents } from '@/lib/task-events';
import { useRun } from '@/features/runs/api/get-run';
import { emptyLiveRun, isTerminal, mergeSnapshot, reduceLiveRun, type LiveRun } from '@/features/runs/lib/live-run';

const FALLBACK_POLL_MS = 5_000;

type LastRunRef = { id: number; status: string } | null;

/**
 * The latest run of a task as it happens: websocket events fold into the query
 * cache, and GET /runs/{id} supplies the totals after a reload (polled while
 * the socket is down).
 */
export function useLiveRun(taskId: number, lastRun: LastRunRef, { socketUp }: { socketUp: boolean }) {
  const client = useQueryClient();
  const [startedRunId, setStartedRunId] = useState<number | null>(null);

  useTaskEvents([taskId], (event) => {
    const runId = event.run_id;
    if (!runId) return;
    client.setQueryData<LiveRun>(queryKeys.liveRun(runId), (previous) =>
      reduceLiveRun(previous ?? emptyLiveRun(runId), event),
    );
    if (event.type === 'run_started') setStartedRunId(runId);
  });

  const runId = Math.max(lastRun?.id ?? 0, startedRunId ?? 0) || null;
  const live = useQuery<LiveRun>({ queryKey: queryKeys.liveRun(runId ?? 0), queryFn: skipToken }).data;
  const running = (lastRun?.id === runId && lastRun.status === 'running') || (live ? !isTerminal(live.status) : false);
  const snapshot = useRun(runId, { pollMs: running && !socketUp ? FALLBACK_POLL_MS : false });

  return { runId, run: mergeSnapshot(live, snapshot.data), snapshot, isRunning: running };
}
