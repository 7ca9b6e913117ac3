import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { pushToast } from '@/lib/notifications';
import {
  smtpSecurities,
  type NotificationSettings,
  type NotificationSettingsInput,
  type SmtpSecurity,
} from '@/features/notifications/api/notification-schema';
import { useSaveNotificationSettings } from '@/features/notifications/api/save-notification-settings';
import { useSendTestNotification } from '@/features/notifications/api/send-test';
import { parseRecipients } from '@/features/notifications/lib/recipients';

const securityLabels: Record<SmtpSecurity, string> = {
  none: 'None (trusted network only)',
  starttls: 'STARTTLS (usually port 587)',
  tls: 'Implicit TLS (usually port 465)',
};

/** The e-mail and webhook channels. Secrets are never shown: a blank secret field keeps the stored one. */
export function NotificationSettingsForm({ settings }: { settings: NotificationSettings }) {
  const id = useId();
  const smtp = settings.smtp;
  const [emailOn, setEmailOn] = useState(smtp !== null);
  const [host, setHost] = useState(smtp?.host ?? '');
  const [port, setPort] = useState(String(smtp?.port ?? 587));
  const [security, setSecurity] = useState<SmtpSecurity>(smtp?.security ?? 'starttls');
  const [username, setUsername] = useState(smtp?.username ?? '');
  const [password, setPassword] = useState('');
  const [from, setFrom] = useState(smtp?.from_address ?? '');
  const [recipients, setRecipients] = useState((smtp?.recipients ?? []).join(', '));
  const [hookUrl, setHookUrl] = useState(settings.webhooks[0]?.url ?? '');
  const [hookSecret, setHookSecret] = useState('');
  const save = useSaveNotificationSettings({ onSuccess: () => pushToast('Notification settings saved') });
  const test = useSendTestNotification();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: NotificationSettingsInput = {
      smtp: emailOn
        ? {
            host: host.trim(),
            port: Number(port),
            security,
            username: username.trim() || null,
            from_address: from.trim(),
            recipients: parseRecipients(recipients),
            ...(password ? { password } : {}),
          }
        : null,
      webhooks: hookUrl.trim() ? [{ url: hookUrl.trim(), ...(hookSecret ? { secret: hookSecret } : {}) }] : [],
    };
    save.mutate(input, { onSuccess: () => (setPassword(''), setHookSecret('')) });
  };

  return (
    <form onSubmit={submit} className="stack" data-testid="notification-settings-form">
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={emailOn}
          onChange={(event) => setEmailOn(event.target.checked)}
          data-testid="smtp-enabled"
        />{' '}
        Send e-mail
      </label>
      {emailOn ? (
        <>
          <div className="form-row">
            <Field label="SMTP server" htmlFor={`${id}-host`}>
              <input id={`${id}-host`} value={host} onChange={(e) => setHost(e.target.value)} data-testid="smtp-host" />
            </Field>
            <Field label="Port" htmlFor={`${id}-port`} className="narrow">
              <input
                id={`${id}-port`}
                inputMode="numeric"
                value={port}
                onChange={(e) => setPort(e.target.value)}
                data-testid="smtp-port"
              />
            </Field>
            <Field label="Security" htmlFor={`${id}-security`}>
              <select
                id={`${id}-security`}
                value={security}
                onChange={(e) => setSecurity(e.target.value as SmtpSecurity)}
                data-testid="smtp-security"
              >
                {smtpSecurities.map((s) => (
                  <option key={s} value={s}>
                    {securityLabels[s]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="form-row">
            <Field label="Login (optional)" htmlFor={`${id}-user`}>
              <input id={`${id}-user`} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
            </Field>
            <Field
              label="Password"
              htmlFor={`${id}-password`}
              hint={smtp?.password_set ? 'A password is stored; leave blank to keep it.' : undefined}
            >
              <input
                id={`${id}-password`}
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="new-password"
                data-testid="smtp-password"
              />
            </Field>
          </div>
          <Field label="From" htmlFor={`${id}-from`}>
            <input id={`${id}-from`} value={from} onChange={(e) => setFrom(e.target.value)} data-testid="smtp-from" />
          </Field>
          <Field label="Recipients" htmlFor={`${id}-to`} hint="Admins who get every notice and the daily digest.">
            <textarea
              id={`${id}-to`}
              rows={2}
              value={recipients}
              onChange={(e) => setRecipients(e.target.value)}
              data-testid="smtp-recipients"
            />
          </Field>
        </>
      ) : null}
      <Field
        label="Webhook URL (optional)"
        htmlFor={`${id}-hook`}
        hint="Each delivery is signed: X-ImapCopier-Signature: t=<unix>,v1=<HMAC-SHA256 of “t.body”>."
      >
        <input id={`${id}-hook`} value={hookUrl} onChange={(e) => setHookUrl(e.target.value)} data-testid="webhook-url" />
      </Field>
      {hookUrl.trim() ? (
        <Field
          label="Webhook secret"
          htmlFor={`${id}-secret`}
          hint={settings.webhooks[0]?.secret_set ? 'A secret is stored; leave blank to keep it.' : 'At least 8 characters.'}
        >
          <input
            id={`${id}-secret`}
            type="password"
            value={hookSecret}
            onChange={(e) => setHookSecret(e.target.value)}
            autoComplete="new-password"
            data-testid="webhook-secret"
          />
        </Field>
      ) : null}
      <div className="form-actions">
        <Button
          onClick={() => test.mutate(undefined, { onSuccess: () => pushToast('Test sent: see the log below', 'info') })}
          isLoading={test.isPending}
          data-testid="send-test-button"
        >
          Send a test
        </Button>
        <Button type="submit" variant="primary" isLoading={save.isPending} data-testid="save-notifications-button">
          Save
        </Button>
      </div>
    </form>
  );
}
