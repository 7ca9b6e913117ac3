import { useWatch, type UseFormReturn } from 'react-hook-form';
import { Field } from '@/components/ui/field';
import { fieldAria } from '@/components/ui/field-aria';
import {
  grantLabels,
  grants,
  saslMechanisms,
  type Endpoint,
  type EndpointInput,
} from '@/features/endpoints/api/endpoint-schema';

type Props = { form: UseFormReturn<EndpointInput>; endpoint: Endpoint | null };

/** Sign-in settings: password, or OAuth2 with its grant. Secrets are write-only: empty keeps the stored one. */
export function EndpointOAuthFields({ form, endpoint }: Props) {
  const { errors } = form.formState;
  const authMode = useWatch({ control: form.control, name: 'auth_mode' });
  const grant = useWatch({ control: form.control, name: 'oauth2_grant' });
  const text = (name: 'oauth2_token_url' | 'oauth2_authorize_url' | 'oauth2_client_id' | 'oauth2_scope', label: string) => (
    <Field label={label} htmlFor={`endpoint-${name}`} error={errors[name]?.message}>
      <input
        {...fieldAria(`endpoint-${name}`, errors[name]?.message)}
        {...form.register(name)}
        autoCapitalize="off"
        spellCheck={false}
      />
    </Field>
  );
  return (
    <>
      <Field label="Sign-in" htmlFor="endpoint-auth-mode" error={errors.auth_mode?.message}>
        <select {...fieldAria('endpoint-auth-mode', errors.auth_mode?.message, true)} {...form.register('auth_mode')}>
          <option value="password">Password per account</option>
          <option value="oauth2">OAuth2 (XOAUTH2 / OAUTHBEARER)</option>
        </select>
      </Field>
      {authMode === 'oauth2' ? (
        <div className="stack" data-testid="endpoint-oauth2">
          <Field label="OAuth2 grant" htmlFor="endpoint-oauth2-grant" error={errors.oauth2_grant?.message}>
            <select
              {...fieldAria('endpoint-oauth2-grant', errors.oauth2_grant?.message, true)}
              {...form.register('oauth2_grant')}
            >
              {grants.map((g) => (
                <option key={g} value={g}>
                  {grantLabels[g]}
                </option>
              ))}
            </select>
          </Field>
          {text('oauth2_token_url', 'Token URL')}
          {grant === 'refresh_token' ? text('oauth2_authorize_url', 'Authorize URL') : null}
          {text('oauth2_client_id', grant === 'jwt_bearer' ? 'Service account (client id)' : 'Client id')}
          {text('oauth2_scope', 'Scope')}
          {grant === 'jwt_bearer' ? (
            <Field
              label="Private key (PEM)"
              htmlFor="endpoint-oauth2-private-key"
              error={errors.oauth2_private_key?.message}
              hint={endpoint?.oauth2_private_key_set ? 'A key is stored; leave empty to keep it.' : undefined}
            >
              <textarea
                {...fieldAria('endpoint-oauth2-private-key', errors.oauth2_private_key?.message, true)}
                {...form.register('oauth2_private_key')}
                rows={4}
                spellCheck={false}
              />
            </Field>
          ) : (
            <Field
              label="Client secret"
              htmlFor="endpoint-oauth2-client-secret"
              error={errors.oauth2_client_secret?.message}
              hint={endpoint?.oauth2_client_secret_set ? 'A secret is stored; leave empty to keep it.' : undefined}
            >
              <input
                {...fieldAria('endpoint-oauth2-client-secret', errors.oauth2_client_secret?.message, true)}
                {...form.register('oauth2_client_secret')}
                type="password"
                autoComplete="new-password"
              />
            </Field>
          )}
          <Field label="SASL mechanism" htmlFor="endpoint-sasl-mechanism">
            <select {...fieldAria('endpoint-sasl-mechanism', undefined, true)} {...form.register('sasl_mechanism')}>
              {saslMechanisms.map((m) => (
                <option key={m} value={m}>
                  {m === 'auto' ? 'Automatic (from the server’s capabilities)' : m.toUpperCase()}
                </option>
              ))}
            </select>
          </Field>
        </div>
      ) : null}
    </>
  );
}
