import { useDocumentTitle } from '@/lib/use-document-title';
import { useRole } from '@/lib/role';
import { useMe } from '@/features/auth/api/get-me';
import { PasswordForm } from '@/features/auth/components/password-form';

export function AccountRoute() {
  useDocumentTitle('Your account');
  const me = useMe();
  const role = useRole();
  return (
    <>
      <div className="page-header">
        <h1>Your account</h1>
        <p className="muted">
          Signed in as {me.data?.user.username} with the role {role}.
        </p>
      </div>
      <PasswordForm />
    </>
  );
}
