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
});

export type EndpointInput = z.infer<typeof endpointInputSchema>;
export const endpointFieldNames = ['name', 'host', 'port', 'tls_mode', 'verify_tls', 'max_connections'] as const;
