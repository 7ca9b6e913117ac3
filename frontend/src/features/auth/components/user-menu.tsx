import { Link, useNavigate } from 'react-router';
import { Button } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { useMe } from '@/features/auth/api/get-me';
import { useLogout } from '@/features/auth/api/logout';

export function UserMenu() {
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout({ onSuccess: () => void navigate(paths.login.href(), { replace: true }) });
  if (!me.data) return null;
  return (
    <div className="user-menu">
      <Link
        to={paths.account.href()}
        className="user-name"
        data-testid="current-user"
        title={`Signed in as ${me.data.user.username} (${me.data.user.role}): your account`}
      >
        {me.data.user.username}
      </Link>
      <Button size="sm" variant="ghost" onClick={() => logout.mutate()} isLoading={logout.isPending} data-testid="logout-button">
        Log out
      </Button>
    </div>
  );
}
