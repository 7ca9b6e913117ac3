import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorBanner } from '@/components/ui/error-banner';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useMe } from '@/features/auth/api/get-me';
import { LoginForm } from '@/features/auth/components/login-form';

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(paths.login.path)
    ? next
    : paths.tasks.href();
}

export function LoginRoute() {
  const me = useMe();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  useDocumentTitle('Sign in');

  if (me.isPending) return <Spinner label="Checking your session…" />;
  if (me.data) return <Navigate to={next} replace />;

  return (
    <main className="login-page">
      <div className="login-card">
        <div className="login-brand">
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <div>
            <h1>IMAP Copier</h1>
            <p className="muted">Copy and keep whole mailboxes in sync between IMAP servers.</p>
          </div>
        </div>
        <ErrorBanner />
        <LoginForm onSuccess={() => void navigate(next, { replace: true })} />
      </div>
    </main>
  );
}
