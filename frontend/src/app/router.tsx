import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { paths } from '@/config/paths';
import { clearErrorBanner } from '@/lib/notifications';
import { RequireAuth } from '@/features/auth/components/require-auth';
import { AccountRoute } from '@/app/routes/account';
import { AppRoot } from '@/app/routes/app-root';
import { AuditRoute } from '@/app/routes/audit';
import { EndpointsRoute } from '@/app/routes/endpoints';
import { LoginRoute } from '@/app/routes/login';
import { NotFoundRoute } from '@/app/routes/not-found';
import { NotificationsRoute } from '@/app/routes/notifications';
import { RunRoute } from '@/app/routes/run';
import { RouteError } from '@/app/routes/route-error';
import { TaskDetailRoute } from '@/app/routes/task-detail';
import { TasksRoute } from '@/app/routes/tasks';
import { UsersRoute } from '@/app/routes/users';

const router = createBrowserRouter([
  { path: paths.login.path, element: <LoginRoute />, errorElement: <RouteError /> },
  {
    element: <RequireAuth />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppRoot />,
        children: [
          { index: true, element: <Navigate to={paths.tasks.href()} replace /> },
          { path: paths.tasks.path, element: <TasksRoute /> },
          { path: paths.task.path, element: <TaskDetailRoute /> },
          { path: paths.run.path, element: <RunRoute /> },
          { path: paths.endpoints.path, element: <EndpointsRoute /> },
          { path: paths.users.path, element: <UsersRoute /> },
          { path: paths.audit.path, element: <AuditRoute /> },
          { path: paths.account.path, element: <AccountRoute /> },
          { path: paths.notifications.path, element: <NotificationsRoute /> },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
]);

// An error belongs to the page it happened on: moving to another page clears it.
let lastPathname = router.state.location.pathname;
router.subscribe((state) => {
  if (state.location.pathname === lastPathname) return;
  lastPathname = state.location.pathname;
  clearErrorBanner();
});

export function AppRouter() {
  return <RouterProvider router={router} />;
}
