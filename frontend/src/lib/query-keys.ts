// Query keys shared across features: live events invalidate queries that
// several features own, so the keys live here rather than in any one feature.
export const queryKeys = {
  me: ['auth', 'me'] as const,
  users: ['users'] as const,
  audit: (filters: Record<string, string>) => ['audit', filters] as const,
  endpoints: ['endpoints'] as const,
  tasks: ['tasks'] as const,
  task: (taskId: number) => ['tasks', taskId] as const,
  plan: (taskId: number) => ['plan', taskId] as const,
  accounts: (taskId: number) => ['accounts', taskId] as const,
  taskRuns: (taskId: number) => ['runs', 'task', taskId] as const,
  run: (runId: number) => ['runs', 'detail', runId] as const,
  notificationSettings: ['settings', 'notifications'] as const,
  notifications: ['notifications'] as const,
  // Live run state is written by websocket events, never fetched.
  liveRun: (runId: number) => ['live-run', runId] as const,
};
