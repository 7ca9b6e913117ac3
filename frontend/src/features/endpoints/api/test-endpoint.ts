import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/lib/api-client';

export const endpointTestSchema = z.object({
  tls: z.string().nullable(),
  certificate: z.string().nullable(),
  capabilities: z.array(z.string()),
  separator: z.string().nullable(),
  namespace_prefix: z.string().nullable(),
  login: z.enum(['ok', 'fail', 'skipped']),
  error: z.string().nullable(),
});
export type EndpointTest = z.infer<typeof endpointTestSchema>;

export type EndpointTestInput = {
  host: string;
  port: number;
  tls_mode: string;
  verify_tls: boolean;
  username?: string;
  password?: string;
};

/** "Test connection": the server as the form describes it, before saving; answered by a worker. */
export const testEndpoint = (input: EndpointTestInput) => {
  const body: Record<string, unknown> = {
    host: input.host,
    port: input.port,
    tls_mode: input.tls_mode,
    verify_tls: input.verify_tls,
  };
  if (input.username && input.password) {
    body.username = input.username;
    body.password = input.password;
  }
  return api.post('/endpoints/test', body, endpointTestSchema);
};

export const useTestEndpoint = () => useMutation({ mutationFn: testEndpoint });
