import { z } from 'zod';
import type { EndpointOut, TlsMode } from '@/client/types.gen';
import { zEndpointOut, zTlsMode } from '@/client/zod.gen';

export const tlsModes = zTlsMode.options;
export type { TlsMode };

export const tlsModeLabels: Record<TlsMode, string> = {
  ssl: 'Implicit TLS (SSL)',
  starttls: 'STARTTLS',
  plain: 'Plain (no encryption)',
};

export const defaultPorts: Record<TlsMode, number> = { ssl: 993, starttls: 143, plain: 143 };

export const providers = ['generic', 'microsoft365', 'gmail'] as const;
export type Provider = (typeof providers)[number];
export const providerLabels: Record<Provider, string> = {
  generic: 'Any IMAP server',
  microsoft365: 'Microsoft 365',
  gmail: 'Gmail / Google Workspace',
};
export const authModes = ['password', 'oauth2'] as const;
export const grants = ['client_credentials', 'jwt_bearer', 'refresh_token'] as const;
export type Grant = (typeof grants)[number];
export const grantLabels: Record<Grant, string> = {
  client_credentials: 'App-only (client credentials)',
  jwt_bearer: 'Service account (signed JWT)',
  refresh_token: 'Consent per mailbox (Connect button)',
};
export const saslMechanisms = ['auto', 'xoauth2', 'oauthbearer'] as const;

// Responses: generated from the API's OpenAPI document (docs/frontend-client.md). Forms: below.
export const endpointSchema = zEndpointOut;
export type Endpoint = EndpointOut;

export const endpointInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the server a name').max(200),
  host: z
    .string()
    .trim()
    .min(1, 'Enter the host name or IP address')
    .regex(/^[^\s/:]+$|^\[[0-9a-fA-F:]+\]$/, 'A host name only, without scheme, port or spaces'),
  port: z
    .number({ error: 'Enter a port number' })
    .int('Enter a whole number')
    .min(1, 'Ports go from 1 to 65535')
    .max(65535, 'Ports go from 1 to 65535'),
  tls_mode: z.enum(tlsModes),
  verify_tls: z.boolean(),
  /** Simultaneous IMAP connections to this server; null uses the installation default. */
  max_connections: z
    .number({ error: 'Enter a whole number, or leave it empty' })
    .int('Enter a whole number')
    .min(1, 'At least 1')
    .max(1000, 'At most 1000')
    .nullable(),
  provider: z.enum(providers),
  auth_mode: z.enum(authModes),
  oauth2_grant: z.enum(grants),
  oauth2_token_url: z.string().trim().max(2000),
  oauth2_authorize_url: z.string().trim().max(2000),
  oauth2_client_id: z.string().trim().max(500),
  oauth2_scope: z.string().trim().max(1000),
  sasl_mechanism: z.enum(saslMechanisms),
  /** Write-only: empty keeps the stored one. */
  oauth2_client_secret: z.string(),
  oauth2_private_key: z.string(),
});

export type EndpointInput = z.infer<typeof endpointInputSchema>;

/** What choosing a provider fills in (the server applies the same defaults, app/profiles.py). */
export const providerProfiles: Record<Provider, Partial<EndpointInput>> = {
  generic: { auth_mode: 'password' },
  microsoft365: {
    host: 'outlook.office365.com',
    port: 993,
    tls_mode: 'ssl',
    auth_mode: 'oauth2',
    oauth2_grant: 'client_credentials',
    oauth2_scope: 'https://outlook.office365.com/.default',
    oauth2_authorize_url: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    sasl_mechanism: 'xoauth2',
  },
  gmail: {
    host: 'imap.gmail.com',
    port: 993,
    tls_mode: 'ssl',
    auth_mode: 'oauth2',
    oauth2_grant: 'jwt_bearer',
    oauth2_token_url: 'https://oauth2.googleapis.com/token',
    oauth2_authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
    oauth2_scope: 'https://mail.google.com/',
  },
};

const oauthTextFields = ['oauth2_token_url', 'oauth2_authorize_url', 'oauth2_client_id', 'oauth2_scope'] as const;

/** The request body: OAuth2 fields only with OAuth2 sign-in, empty texts as null, empty secrets left out. */
export function toEndpointRequest(values: EndpointInput): Record<string, unknown> {
  const { oauth2_client_secret, oauth2_private_key, ...rest } = values;
  const body: Record<string, unknown> = { ...rest };
  if (values.auth_mode !== 'oauth2') {
    for (const name of [...oauthTextFields, 'oauth2_grant'] as const) delete body[name];
    return body;
  }
  for (const name of oauthTextFields) body[name] = values[name] === '' ? null : values[name];
  if (oauth2_client_secret) body.oauth2_client_secret = oauth2_client_secret;
  if (oauth2_private_key) body.oauth2_private_key = oauth2_private_key;
  return body;
}
export const endpointFieldNames = [
  'name',
  'host',
  'port',
  'tls_mode',
  'verify_tls',
  'max_connections',
  'provider',
  'auth_mode',
  'oauth2_grant',
  'oauth2_token_url',
  'oauth2_authorize_url',
  'oauth2_client_id',
  'oauth2_scope',
  'sasl_mechanism',
  'oauth2_client_secret',
  'oauth2_private_key',
] as const;
