import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { pushToast } from '@/lib/notifications';
import type { Task } from '@/features/tasks/api/task-schema';
import { useUpdateTaskNotify } from '@/features/tasks/api/update-task-notify';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The task's daily window for scheduled runs and its own notification recipients. */
export function ScheduleWindowEditor({ task }: { task: Task }) {
  const id = useId();
  const window = task.schedule_window;
  const [windowOn, setWindowOn] = useState(window !== null);
  const [start, setStart] = useState(window?.start ?? '22:00');
  const [end, setEnd] = useState(window?.end ?? '06:00');
  const [tz, setTz] = useState(window?.tz ?? browserZone());
  const [emails, setEmails] = useState((task.notify_emails ?? []).join(', '));
  const update = useUpdateTaskNotify(task.id, { onSuccess: () => pushToast('Window and recipients saved') });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({
      schedule_window: windowOn ? { start, end, tz: tz.trim() } : null,
      notify_emails: [...new Set(emails.split(/[\s,;]+/).filter(Boolean))],
    });
  };

  return (
    <form onSubmit={submit} className="stack schedule-window" data-testid="schedule-window-form">
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={windowOn}
          onChange={(event) => setWindowOn(event.target.checked)}
          data-testid="window-enabled"
        />{' '}
        Start scheduled runs only inside a daily window
      </label>
      {windowOn ? (
        <div className="form-row">
          <Field label="From" htmlFor={`${id}-start`}>
            <input id={`${id}-start`} type="time" value={start} onChange={(e) => setStart(e.target.value)} data-testid="window-start" />
          </Field>
          <Field label="Until" htmlFor={`${id}-end`}>
            <input id={`${id}-end`} type="time" value={end} onChange={(e) => setEnd(e.target.value)} data-testid="window-end" />
          </Field>
          <Field label="Time zone" htmlFor={`${id}-tz`}>
            <input id={`${id}-tz`} value={tz} onChange={(e) => setTz(e.target.value)} data-testid="window-tz" />
          </Field>
        </div>
      ) : null}
      <Field
        label="Also notify"
        htmlFor={`${id}-emails`}
        hint="E-mail addresses that get this task's notices on top of the global recipients."
      >
        <input id={`${id}-emails`} value={emails} onChange={(e) => setEmails(e.target.value)} data-testid="notify-emails" />
      </Field>
      <div className="form-actions">
        <Button type="submit" isLoading={update.isPending} data-testid="save-window-button">
          Save window and recipients
        </Button>
      </div>
    </form>
  );
}
