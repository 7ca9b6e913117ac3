import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { ApiError } from '@/lib/api-client';
import { useTestEndpoint, type EndpointTest, type EndpointTestInput } from '@/features/endpoints/api/test-endpoint';

const LOGIN_LABELS: Record<EndpointTest['login'], string> = {
  ok: 'signed in',
  fail: 'refused',
  skipped: 'not tried (no test user)',
};

/**
 * "Test connection" in the server form: TLS, certificate, capabilities, separator and namespace
 * prefix, and whether the optional test user signs in. The test user is not saved.
 */
export function EndpointTestPanel({ current }: { current: () => EndpointTestInput }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const test = useTestEndpoint();
  const result = test.data;
  const failure = test.error instanceof ApiError ? test.error.message : test.error ? 'The test did not run' : null;
  return (
    <fieldset className="endpoint-test" data-testid="endpoint-test">
      <legend>Test connection</legend>
      <div className="form-row">
        <Field label="Test user (optional)" htmlFor="endpoint-test-user" className="grow">
          <input
            id="endpoint-test-user"
            autoComplete="off"
            autoCapitalize="off"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </Field>
        <Field label="Its password" htmlFor="endpoint-test-password" className="grow">
          <input
            id="endpoint-test-password"
            type="password"
            autoComplete="off"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </Field>
      </div>
      {/* Not disabled while it runs: a disabled button would drop the keyboard focus. */}
      <Button
        onClick={() => (test.isPending ? undefined : test.mutate({ ...current(), username, password }))}
        aria-busy={test.isPending || undefined}
        data-testid="endpoint-test-button"
      >
        {test.isPending ? 'Testing…' : 'Test connection'}
      </Button>
      <div aria-live="polite">
        {failure ? (
          <p className="alert alert-danger small" role="alert">
            {failure}
          </p>
        ) : null}
        {result ? (
          <dl className="small endpoint-test-result" data-testid="endpoint-test-result" data-login={result.login}>
            <dt>TLS</dt>
            <dd>{result.tls ?? 'none (plain connection)'}</dd>
            <dt>Certificate</dt>
            <dd>{result.certificate ?? '—'}</dd>
            <dt>Capabilities</dt>
            <dd className="mono">{result.capabilities.length ? result.capabilities.join(' ') : '—'}</dd>
            <dt>Separator</dt>
            <dd className="mono">{result.separator ?? '— (known after a login)'}</dd>
            <dt>Namespace prefix</dt>
            <dd className="mono">{result.namespace_prefix === null ? '—' : `“${result.namespace_prefix}”`}</dd>
            <dt>Login</dt>
            <dd>{LOGIN_LABELS[result.login]}</dd>
            {result.error ? (
              <>
                <dt>Problem</dt>
                <dd className="text-danger" data-testid="endpoint-test-error">
                  {result.error}
                </dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </div>
    </fieldset>
  );
}
