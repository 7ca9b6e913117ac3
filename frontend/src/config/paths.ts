export const paths = {
  login: { path: '/login', href: (next?: string) => (next ? `/login?next=${encodeURIComponent(next)}` : '/login') },
  tasks: { path: '/tasks', href: () => '/tasks' },
  task: { path: '/tasks/:taskId', href: (id: number) => `/tasks/${id}` },
  run: { path: '/runs/:runId', href: (id: number) => `/runs/${id}` },
  endpoints: { path: '/endpoints', href: () => '/endpoints' },
  users: { path: '/users', href: () => '/users' },
  audit: { path: '/audit', href: () => '/audit' },
  account: { path: '/account', href: () => '/account' },
  notifications: { path: '/settings/notifications', href: () => '/settings/notifications' },
} as const;
