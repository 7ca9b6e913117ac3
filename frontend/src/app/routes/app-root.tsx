import { NavLink, Outlet } from 'react-router';
import { ErrorBanner } from '@/components/ui/error-banner';
import { paths } from '@/config/paths';
import { useResyncOnReconnect } from '@/lib/task-events';
import { RoleContext, roleAllows } from '@/lib/role';
import { useSocketStatus } from '@/lib/task-socket';
import { useMe } from '@/features/auth/api/get-me';
import { UserMenu } from '@/features/auth/components/user-menu';

function SocketIndicator() {
  const status = useSocketStatus();
  if (status === 'idle') return null;
  const live = status === 'open';
  return (
    <span
      className={`socket-status ${live ? 'socket-live' : 'socket-down'}`}
      data-testid="socket-status"
      data-status={status}
      title={live ? 'Live updates are on' : 'Live updates are reconnecting; the page refreshes every 5 s meanwhile'}
    >
      <span className="dot" aria-hidden="true" />
      <span className="socket-label">{live ? 'Live' : 'Reconnecting…'}</span>
    </span>
  );
}

/** The signed-in shell: header, navigation, error banner, page. */
export function AppRoot() {
  useResyncOnReconnect();
  const role = useMe().data?.user.role ?? null;
  return (
    <RoleContext value={role}>
      <div className="shell">
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <div className="topbar-inner">
            <NavLink to={paths.tasks.href()} className="brand">
              <img src="/favicon.svg" alt="" width={22} height={22} />
              <span className="brand-name">IMAP Copier</span>
            </NavLink>
            <nav aria-label="Main" className="nav">
              <NavLink to={paths.tasks.href()} className="nav-link">
                Tasks
              </NavLink>
              <NavLink to={paths.endpoints.href()} className="nav-link">
                Servers
              </NavLink>
              {roleAllows(role, 'operator') ? (
                <NavLink to={paths.audit.href()} className="nav-link">
                  Audit
                </NavLink>
              ) : null}
              {roleAllows(role, 'admin') ? (
                <>
                  <NavLink to={paths.users.href()} className="nav-link">
                    Users
                  </NavLink>
                  <NavLink to={paths.notifications.href()} className="nav-link">
                    Notifications
                  </NavLink>
                </>
              ) : null}
            </nav>
            <span className="spacer" />
            <SocketIndicator />
            <UserMenu />
          </div>
        </header>
        <main id="main" className="page" tabIndex={-1}>
          <div className="banner-slot">
            <ErrorBanner />
          </div>
          {role === 'viewer' ? (
            <p className="read-only-notice" data-testid="read-only-notice">
              View only: your role (viewer) can look at everything but change nothing. Ask an admin for operator rights.
            </p>
          ) : null}
          <Outlet />
        </main>
      </div>
    </RoleContext>
  );
}
