import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { DateTime } from '@/components/ui/date-time';
import { Field } from '@/components/ui/field';
import { QueryState } from '@/components/ui/query-state';
import { ApiError } from '@/lib/api-client';
import { pushToast } from '@/lib/notifications';
import { ROLES, type Role } from '@/lib/role';
import { useUsers } from '@/features/users/api/get-users';
import { useCreateUser, useDeleteUser, useSetUserRole } from '@/features/users/api/change-users';
import { userInputSchema, type UserInput } from '@/features/users/api/user-schema';

const ROLE_HELP: Record<Role, string> = {
  viewer: 'sees everything, changes nothing, never sees a secret',
  operator: 'creates and edits tasks, accounts and servers; tests, runs, cancels, schedules; reads the audit log',
  admin: 'everything, including users',
};

function NewUserForm() {
  const id = useId();
  const [input, setInput] = useState<UserInput>({ username: '', password: '', role: 'operator' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useCreateUser(() => {
    pushToast(`User ${input.username} added`);
    setInput({ username: '', password: '', role: 'operator' });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = userInputSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onError: (error) => setErrors(error instanceof ApiError ? error.fields : {}),
    });
  };
  return (
    <form className="card user-form" onSubmit={submit} data-testid="new-user-form" noValidate>
      <h2>Add a user</h2>
      <Field label="Username" htmlFor={`${id}-username`} error={errors.username}>
        <input
          id={`${id}-username`}
          value={input.username}
          autoComplete="off"
          onChange={(e) => setInput({ ...input, username: e.target.value })}
        />
      </Field>
      <Field label="Password" htmlFor={`${id}-password`} error={errors.password} hint="At least 8 characters.">
        <input
          id={`${id}-password`}
          type="password"
          value={input.password}
          autoComplete="new-password"
          onChange={(e) => setInput({ ...input, password: e.target.value })}
        />
      </Field>
      <Field label="Role" htmlFor={`${id}-role`} hint={ROLE_HELP[input.role]}>
        <select id={`${id}-role`} value={input.role} onChange={(e) => setInput({ ...input, role: e.target.value as Role })}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-actions">
        <Button type="submit" variant="primary" requires="admin" isLoading={create.isPending} data-testid="user-submit">
          Add user
        </Button>
      </div>
    </form>
  );
}

/** The console's users (admins only): roles, new users, removal. */
export function UsersPage({ currentUserId }: { currentUserId: number | null }) {
  const users = useUsers();
  const setRole = useSetUserRole();
  const remove = useDeleteUser();
  return (
    <>
      <section className="card">
        <QueryState query={users} loadingLabel="Loading users…">
          {(list) => (
            <div className="table-wrap">
              <table className="table" data-testid="users-table">
                <thead>
                  <tr>
                    <th>User</th>
                    <th>Role</th>
                    <th>Added</th>
                    <th aria-label="Actions" />
                  </tr>
                </thead>
                <tbody>
                  {list.map((user) => (
                    <tr key={user.id} data-testid="user-row" data-username={user.username}>
                      <td>
                        {user.username}
                        {user.id === currentUserId ? <span className="muted"> (you)</span> : null}
                      </td>
                      <td>
                        <select
                          aria-label={`Role of ${user.username}`}
                          value={user.role}
                          onChange={(e) =>
                            setRole.mutate({ id: user.id, role: e.target.value as Role })
                          }
                          data-testid="user-role-select"
                        >
                          {ROLES.map((role) => (
                            <option key={role} value={role}>
                              {role}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <DateTime iso={user.created_at} />
                      </td>
                      <td>
                        <Button
                          size="sm"
                          variant="danger"
                          requires="admin"
                          aria-label={`Delete ${user.username}`}
                          onClick={() => {
                            if (window.confirm(`Delete ${user.username}? Their sessions and API tokens end.`)) {
                              remove.mutate(user.id);
                            }
                          }}
                          data-testid="user-delete-button"
                        >
                          Delete
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
        <p className="field-hint">
          Changing a role ends that user&apos;s sessions. The last admin cannot be removed or demoted.
        </p>
      </section>
      <NewUserForm />
    </>
  );
}
