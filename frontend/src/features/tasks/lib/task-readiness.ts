import { formatCountOf } from '@/lib/format';

/** How many of the task's accounts passed the login test on both sides. */
export type AccountReadiness = { total: number; ok: number; failed: number; untested: number };

export type ActionState = { allowed: boolean; reason: string | null };

const allowed: ActionState = { allowed: true, reason: null };
const blocked = (reason: string): ActionState => ({ allowed: false, reason });

export function runState(taskStatus: string, readiness: AccountReadiness, isTesting: boolean): ActionState {
  if (taskStatus === 'running') return blocked('A run is already in progress.');
  if (readiness.total === 0) return blocked('Add at least one account first.');
  if (isTesting) return blocked('Wait for the login tests to finish.');
  if (readiness.failed > 0) {
    return blocked(`${formatCountOf(readiness.failed, 'account')} failed the login test. Fix and test again.`);
  }
  if (readiness.untested > 0) return blocked(`${formatCountOf(readiness.untested, 'account')} not tested yet. Click Test all.`);
  return allowed;
}

export function testAllState(taskStatus: string, readiness: AccountReadiness, isTesting: boolean): ActionState {
  if (taskStatus === 'running') return blocked('Wait for the current run to finish.');
  if (readiness.total === 0) return blocked('Add at least one account first.');
  if (isTesting) return blocked('Testing the logins…');
  return allowed;
}

export function cancelState(taskStatus: string, cancelRequested = false): ActionState {
  if (taskStatus !== 'running') return blocked('No run in progress.');
  return cancelRequested ? blocked('Stopping: each account ends after its current batch.') : allowed;
}

/** Deleting a task (and changing its accounts or folders) waits for the run: the API answers 409 meanwhile. */
export function deleteTaskState(taskStatus: string): ActionState {
  return taskStatus === 'running' ? blocked('Cancel the run or wait for it to finish first.') : allowed;
}

/** Why turning the schedule on would be refused, before the admin tries; null when it would be accepted. */
export function scheduleBlocker(readiness: AccountReadiness): string | null {
  if (readiness.total === 0) return 'Add accounts and test their logins before turning the schedule on.';
  if (readiness.failed > 0) {
    return `${formatCountOf(readiness.failed, 'account')} failed the login test: fix it before turning the schedule on.`;
  }
  if (readiness.untested > 0) {
    return `${formatCountOf(readiness.untested, 'account')} not tested yet: test the logins before turning the schedule on.`;
  }
  return null;
}
