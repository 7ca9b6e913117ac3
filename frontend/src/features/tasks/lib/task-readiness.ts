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

/** The enabled accounts that keep the schedule from being turned on, by name (the server's gate). */
export type ScheduleGate = { enabled: number; failed: string[]; untested: string[] };

type GateAccount = { src_username: string; enabled: boolean; test_src_status: string; test_dst_status: string };

export function scheduleGate(accounts: readonly GateAccount[]): ScheduleGate {
  const gate: ScheduleGate = { enabled: 0, failed: [], untested: [] };
  for (const a of accounts) {
    if (!a.enabled) continue;
    gate.enabled += 1;
    if (a.test_src_status === 'fail' || a.test_dst_status === 'fail') gate.failed.push(a.src_username);
    else if (a.test_src_status !== 'ok' || a.test_dst_status !== 'ok') gate.untested.push(a.src_username);
  }
  return gate;
}

const SHOWN_NAMES = 3;

/** "a, b, c and 2 more". */
function someNames(names: readonly string[]): string {
  const shown = names.slice(0, SHOWN_NAMES).join(', ');
  return names.length > SHOWN_NAMES ? `${shown} and ${names.length - SHOWN_NAMES} more` : shown;
}

/** Why turning the schedule on would be refused, naming how many accounts and which; null when it would be accepted. */
export function scheduleBlocker(gate: ScheduleGate): string | null {
  if (gate.enabled === 0) return 'Add accounts (or resume a paused one) and test their logins before turning the schedule on.';
  const parts: string[] = [];
  if (gate.failed.length > 0) parts.push(`${formatCountOf(gate.failed.length, 'account')} failed the login test (${someNames(gate.failed)})`);
  if (gate.untested.length > 0) {
    parts.push(`${formatCountOf(gate.untested.length, 'account')} not tested yet (${someNames(gate.untested)})`);
  }
  if (parts.length === 0) return null;
  const them = gate.failed.length + gate.untested.length === 1 ? 'it' : 'them';
  return `${parts.join('; ')}: fix and test ${them}, or pause ${them}, before turning the schedule on.`;
}
