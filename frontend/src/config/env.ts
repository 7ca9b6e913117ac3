import { z } from 'zod';

// The console's Content-Security-Policy forbids eval. Without this, zod probes `new Function` on its
// first parse (the one just below), and although it catches the refusal the browser still reports
// a CSP violation. Set here because this module's parse is the first one that runs.
z.config({ jitless: true });

const envSchema = z.object({
  // Base path of the JSON API; the web process serves it on the same origin.
  VITE_API_BASE: z
    .string()
    .regex(/^\/[\w/-]*[^/]$/, 'must be an absolute path without a trailing slash, like /api')
    .default('/api'),
});

function loadEnv() {
  const parsed = envSchema.safeParse(import.meta.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `- ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid front-end environment:\n${problems}`);
  }
  return parsed.data;
}

export const env = loadEnv();
