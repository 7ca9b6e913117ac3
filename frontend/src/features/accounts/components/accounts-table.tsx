import { Fragment, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DateTime } from '@/components/ui/date-time';
import { EmptyState } from '@/components/ui/empty-state';
import { formatBytes } from '@/lib/format';
import { pushToast } from '@/lib/notifications';
import type { AccountRow } from '@/features/accounts/api/account-page';
import { useDeleteAccount } from '@/features/accounts/api/delete-account';
import { useTestAccount } from '@/features/accounts/api/test-account';
import { AccountFormDialog } from '@/features/accounts/components/account-form-dialog';
import { TestStatusCell } from '@/features/accounts/components/test-status';

type Account = AccountRow;

const OUTCOME_LABELS: Record<AccountRow['last_outcome'], string> = {
  done: 'Done',
  done_with_errors: 'Done with errors',
  failed: 'Failed',
  never: 'Never run',
};

type Props = {
  taskId: number;
  accounts: Account[];
  testingIds: Set<number>;
  /** Why the rows' buttons are off (a run is in progress: the API refuses changes), or null. */
  lockedReason: string | null;
  onTestStarted: (accountIds: number[]) => void;
  /** Sides whose server signs in with per-mailbox OAuth2 consent: each row gets a Connect link. */
  connectSides?: readonly ('src' | 'dst')[];
  /** The selected account ids, and how to change them (checkbox per row and for the page). */
  selected: Set<number>;
  onSelect: (accounts: Account[], on: boolean) => void;
  /** Pause (enabled false) or resume one account. */
  onSetEnabled: (account: Account, enabled: boolean) => void;
  emptyText?: string;
};

const NO_SIDES: readonly ('src' | 'dst')[] = [];

export function AccountsTable({
  taskId,
  accounts,
  testingIds,
  lockedReason,
  onTestStarted,
  connectSides = NO_SIDES,
  selected,
  onSelect,
  onSetEnabled,
  emptyText,
}: Props) {
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<Account | null>(null);
  const [deleting, setDeleting] = useState<Account | null>(null);
  const test = useTestAccount(taskId, { onSuccess: (id) => onTestStarted([id]) });
  const remove = useDeleteAccount(taskId);
  const confirmDelete = (account: Account) =>
    remove.mutate(account.id, {
      onSuccess: () => {
        pushToast(`Account ${account.src_username} removed`);
        setDeleting(null);
      },
    });
  const lockedId = `accounts-${taskId}-locked`;
  const locked = lockedReason !== null;

  const toggle = (id: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (accounts.length === 0 && emptyText) {
    return (
      <p className="muted" data-testid="accounts-none-match">
        {emptyText}
      </p>
    );
  }
  if (accounts.length === 0) {
    return (
      <EmptyState title="No accounts yet" testId="accounts-empty">
        <p>
          Add the mailboxes to copy one by one with <strong>Add account</strong>, or paste a whole list with{' '}
          <strong>Import CSV</strong>: one line per account with the source user and password, then the destination
          user and password.
        </p>
      </EmptyState>
    );
  }

  return (
    <>
      {lockedReason ? (
        <p className="action-reason" id={lockedId} data-testid="accounts-locked">
          {lockedReason}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="table table-stack" data-testid="accounts-table">
          <thead>
            <tr>
              <th scope="col" className="col-select">
                <input
                  type="checkbox"
                  aria-label="Select every account on this page"
                  checked={accounts.every((a) => selected.has(a.id))}
                  onChange={(event) => onSelect(accounts, event.target.checked)}
                  data-testid="select-page"
                />
              </th>
              <th scope="col">Source user</th>
              <th scope="col">Source login</th>
              <th scope="col">Destination user</th>
              <th scope="col">Destination login</th>
              <th scope="col">Tested</th>
              <th scope="col">Last run</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((account) => {
              const errorRowId = `account-${account.id}-errors`;
              const isOpen = expanded.has(account.id);
              const isTesting = testingIds.has(account.id);
              const failed = account.test_src_status === 'fail' || account.test_dst_status === 'fail';
              const cellProps = { isTesting, expanded: isOpen, onToggle: () => toggle(account.id), errorRowId };
              return (
                <Fragment key={account.id}>
                  <tr
                    data-testid="account-row"
                    data-account-id={account.id}
                    data-enabled={account.enabled}
                    className={account.enabled ? undefined : 'row-paused'}
                  >
                    <td className="col-select">
                      <input
                        type="checkbox"
                        aria-label={`Select ${account.src_username}`}
                        checked={selected.has(account.id)}
                        onChange={(event) => onSelect([account], event.target.checked)}
                        data-testid="account-select"
                      />
                    </td>
                    <td className="mono" data-label="Source user">
                      {account.src_username}
                      {account.enabled ? null : (
                        <>
                          {' '}
                          <Badge tone="warning" data-testid="account-paused">
                            Paused
                          </Badge>
                        </>
                      )}
                    </td>
                    <TestStatusCell side="src" status={account.test_src_status} error={account.test_src_error} {...cellProps} />
                    <td className="mono" data-label="Destination user">
                      {account.dst_username}
                      {account.test_dst_quota?.warning ? (
                        <>
                          {' '}
                          <Badge tone="warning" title={account.test_dst_quota.warning} data-testid="account-quota-warning">
                            quota: {formatBytes(account.test_dst_quota.free_bytes)} free
                          </Badge>
                        </>
                      ) : null}
                    </td>
                    <TestStatusCell side="dst" status={account.test_dst_status} error={account.test_dst_error} {...cellProps} />
                    <td className="small muted" data-label="Tested">
                      <DateTime iso={account.tested_at} stacked />
                    </td>
                    <td className="small" data-label="Last run" data-testid="account-last-outcome">
                      {OUTCOME_LABELS[account.last_outcome]}
                    </td>
                    <td className="row-actions">
                      {connectSides.map((side) => (
                        <a
                          key={side}
                          className="btn btn-secondary btn-sm"
                          href={`/api/accounts/${account.id}/oauth/start?side=${side}`}
                          data-testid={`account-connect-${side}`}
                          title={
                            account[`${side}_refresh_token_set`]
                              ? 'Consent given; connect again to renew it'
                              : 'Sign in at the provider to give consent'
                          }
                        >
                          Connect {side === 'src' ? 'source' : 'destination'}
                        </a>
                      ))}
                      <Button
                        requires="operator"
                        keepsFocus
                        size="sm"
                        onClick={() => test.mutate(account.id)}
                        isLoading={isTesting}
                        disabled={locked}
                        aria-describedby={locked ? lockedId : undefined}
                        aria-label={`Test ${account.src_username}`}
                        data-testid="account-test-button"
                      >
                        Test
                      </Button>
                      <Button requires="operator"
                        size="sm"
                        onClick={() => onSetEnabled(account, !account.enabled)}
                        aria-label={`${account.enabled ? 'Pause' : 'Resume'} ${account.src_username}`}
                        data-testid="account-pause-button"
                      >
                        {account.enabled ? 'Pause' : 'Resume'}
                      </Button>
                      <Button
                        size="sm"
                        onClick={() => setEditing(account)}
                        disabled={locked}
                        aria-describedby={locked ? lockedId : undefined}
                        aria-label={`Edit ${account.src_username}`}
                        data-testid="account-edit-button"
                      >
                        Edit
                      </Button>
                      <Button requires="operator"
                        size="sm"
                        variant="danger"
                        onClick={() => setDeleting(account)}
                        disabled={locked}
                        aria-describedby={locked ? lockedId : undefined}
                        aria-label={`Delete ${account.src_username}`}
                        data-testid="account-delete-button"
                      >
                        Delete
                      </Button>
                    </td>
                  </tr>
                  {failed && isOpen ? (
                    <tr id={errorRowId} className="error-row" data-testid="account-error-row">
                      <td colSpan={8}>
                        {account.test_src_status === 'fail' ? (
                          <p>
                            <strong>Source login failed:</strong> {account.test_src_error ?? 'no detail given'}
                          </p>
                        ) : null}
                        {account.test_dst_status === 'fail' ? (
                          <p>
                            <strong>Destination login failed:</strong> {account.test_dst_error ?? 'no detail given'}
                          </p>
                        ) : null}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <AccountFormDialog taskId={taskId} open={editing !== null} account={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={deleting !== null}
        title={`Remove the account ${deleting?.src_username ?? ''}?`}
        confirmLabel="Remove account"
        isPending={remove.isPending}
        onConfirm={() => deleting && confirmDelete(deleting)}
        onClose={() => setDeleting(null)}
      >
        <p>
          <strong className="mono">{deleting?.src_username}</strong> → <strong className="mono">{deleting?.dst_username}</strong>{' '}
          leaves this task with its run results. Mail already copied stays where it is, on both servers.
        </p>
      </ConfirmDialog>
    </>
  );
}
