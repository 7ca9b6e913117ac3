import { z } from 'zod';

export const smtpSecurities = ['none', 'starttls', 'tls'] as const;
export type SmtpSecurity = (typeof smtpSecurities)[number];

/** GET /settings/notifications: secrets only as `*_set`. */
export const notificationSettingsSchema = z.object({
  smtp: z
    .object({
      host: z.string(),
      port: z.number(),
      security: z.enum(smtpSecurities),
      username: z.string().nullable(),
      password_set: z.boolean(),
      from_address: z.string(),
      recipients: z.array(z.string()),
    })
    .nullable(),
  webhooks: z.array(z.object({ url: z.string(), secret_set: z.boolean() })),
});

export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

export const notificationSchema = z.object({
  id: z.number(),
  kind: z.enum(['task_broken', 'run_failed', 'digest', 'test']),
  channel: z.enum(['email', 'webhook']),
  target: z.string(),
  task_id: z.number().nullable(),
  run_id: z.number().nullable(),
  subject: z.string(),
  status: z.enum(['pending', 'sending', 'retrying', 'sent', 'failed']),
  attempts: z.array(z.object({ at: z.string(), ok: z.boolean(), error: z.string().nullish() })),
  created_at: z.string(),
  sent_at: z.string().nullable(),
});

export type Notification = z.infer<typeof notificationSchema>;

/** The PUT body; an omitted secret keeps the stored one. */
export type NotificationSettingsInput = {
  smtp: {
    host: string;
    port: number;
    security: SmtpSecurity;
    username: string | null;
    password?: string;
    from_address: string;
    recipients: string[];
  } | null;
  webhooks: { url: string; secret?: string }[];
};
