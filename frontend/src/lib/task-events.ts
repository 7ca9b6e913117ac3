import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, useRef } from 'react';
import type { TaskEvent } from '@/client/types.gen';
import { zTaskEvent } from '@/client/zod.gen';
import { queryKeys } from '@/lib/query-keys';
import { taskSocket, useSocketStatus } from '@/lib/task-socket';

/** A websocket event: generated from the API's event models (docs/events.md). */
export const taskEventSchema = zTaskEvent;
export type { TaskEvent };

/** Which cached queries an event makes stale; progress-type events only feed the live view. */
export function invalidateForEvent(client: QueryClient, event: TaskEvent): void {
  switch (event.type) {
    case 'run_started':
    case 'run_done':
    case 'cancelled':
    case 'task_broken':
      void client.invalidateQueries({ queryKey: queryKeys.tasks });
      void client.invalidateQueries({ queryKey: queryKeys.taskRuns(event.task_id) });
      // The accounts' last outcome (their "Last run" column and filter) changed with the run.
      void client.invalidateQueries({ queryKey: queryKeys.accounts(event.task_id) });
      if (event.run_id) void client.invalidateQueries({ queryKey: queryKeys.run(event.run_id) });
      return;
    case 'account_test':
      void client.invalidateQueries({ queryKey: queryKeys.accounts(event.task_id) });
      return;
    case 'account_done':
      if (event.run_id) void client.invalidateQueries({ queryKey: queryKeys.run(event.run_id) });
      return;
    default:
      return;
  }
}

/**
 * Subscribe to live events of some tasks for as long as the component lives.
 * Standard cache invalidation happens here; `onEvent` sees every valid event.
 */
export function useTaskEvents(taskIds: readonly number[], onEvent?: (event: TaskEvent) => void): void {
  const client = useQueryClient();
  const handle = useEffectEvent((message: unknown) => {
    const parsed = taskEventSchema.safeParse(message);
    if (!parsed.success) return;
    invalidateForEvent(client, parsed.data);
    onEvent?.(parsed.data);
  });
  const idsKey = [...new Set(taskIds)].toSorted((a, b) => a - b).join(',');

  useEffect(() => {
    if (!idsKey) return undefined;
    const unsubscribers = idsKey.split(',').map((id) => taskSocket.subscribe(Number(id), (message) => handle(message)));
    return () => {
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [idsKey]);
}

const RESYNC_ROOTS = new Set<unknown>([queryKeys.tasks[0], 'accounts', 'runs']);

/**
 * Events sent while the socket was down are lost (pub/sub keeps nothing), so
 * after a reconnect everything live is re-read over HTTP.
 */
export function useResyncOnReconnect(): void {
  const client = useQueryClient();
  const status = useSocketStatus();
  const wasDown = useRef(false);
  useEffect(() => {
    if (status === 'closed') wasDown.current = true;
    if (status !== 'open' || !wasDown.current) return;
    wasDown.current = false;
    void client.invalidateQueries({ predicate: (query) => RESYNC_ROOTS.has(query.queryKey[0]) });
  }, [status, client]);
}
