import { useDocumentTitle } from '@/lib/use-document-title';
import { useRole } from '@/lib/role';
import { useMe } from '@/features/auth/api/get-me';
import { UsersPage } from '@/features/users/components/users-page';

export function UsersRoute() {
  useDocumentTitle('Users');
  const role = useRole();
  const me = useMe();
  return (
    <>
      <div className="page-header">
        <h1>Users</h1>
      </div>
      {role === 'admin' ? (
        <UsersPage currentUserId={me.data?.user.id ?? null} />
      ) : (
        <p className="action-reason" data-testid="users-forbidden">
          Only admins manage users; your role is {role ?? 'unknown'}.
        </p>
      )}
    </>
  );
}
