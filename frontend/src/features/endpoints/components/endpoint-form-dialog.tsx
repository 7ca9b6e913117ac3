import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { FormActions } from '@/components/ui/form-actions';
import { Field } from '@/components/ui/field';
import { fieldAria } from '@/components/ui/field-aria';
import { Modal } from '@/components/ui/modal';
import { applyServerFieldErrors } from '@/lib/form-errors';
import { pushToast } from '@/lib/notifications';
import { useCreateEndpoint } from '@/features/endpoints/api/create-endpoint';
import {
  defaultPorts,
  endpointFieldNames,
  endpointInputSchema,
  providerLabels,
  providerProfiles,
  providers,
  type Provider,
  tlsModeLabels,
  tlsModes,
  type Endpoint,
  type EndpointInput,
  type TlsMode,
} from '@/features/endpoints/api/endpoint-schema';
import { useUpdateEndpoint } from '@/features/endpoints/api/update-endpoint';
import { EndpointOAuthFields } from '@/features/endpoints/components/endpoint-oauth-fields';
import { EndpointTestPanel } from '@/features/endpoints/components/endpoint-test-panel';

type Props = {
  open: boolean;
  endpoint: Endpoint | null;
  /** Names of the tasks that use the server being edited. */
  usedBy?: string[];
  onClose: () => void;
};

const noOAuth = {
  provider: 'generic',
  auth_mode: 'password',
  oauth2_grant: 'client_credentials',
  oauth2_token_url: '',
  oauth2_authorize_url: '',
  oauth2_client_id: '',
  oauth2_scope: '',
  sasl_mechanism: 'auto',
  oauth2_client_secret: '',
  oauth2_private_key: '',
} as const;

const blank: EndpointInput = {
  name: '',
  host: '',
  port: 993,
  tls_mode: 'ssl',
  verify_tls: true,
  max_connections: null,
  ...noOAuth,
};

function formValues(endpoint: Endpoint): EndpointInput {
  return {
    name: endpoint.name,
    host: endpoint.host,
    port: endpoint.port,
    tls_mode: endpoint.tls_mode,
    verify_tls: endpoint.verify_tls,
    max_connections: endpoint.max_connections,
    provider: endpoint.provider ?? 'generic',
    auth_mode: endpoint.auth_mode ?? 'password',
    oauth2_grant: endpoint.oauth2_grant ?? 'client_credentials',
    oauth2_token_url: endpoint.oauth2_token_url ?? '',
    oauth2_authorize_url: endpoint.oauth2_authorize_url ?? '',
    oauth2_client_id: endpoint.oauth2_client_id ?? '',
    oauth2_scope: endpoint.oauth2_scope ?? '',
    sasl_mechanism: endpoint.sasl_mechanism ?? 'auto',
    oauth2_client_secret: '',
    oauth2_private_key: '',
  };
}

const tlsHints: Record<TlsMode, string> = {
  ssl: 'Encrypted from the first byte; usually port 993.',
  starttls: 'Connects in clear, then upgrades to TLS before logging in; usually port 143.',
  plain: 'No encryption: passwords cross the network in clear. Only for a trusted network.',
};

const NO_TASKS: string[] = [];

export function EndpointFormDialog({ open, endpoint, usedBy = NO_TASKS, onClose }: Props) {
  return (
    <Modal open={open} onClose={onClose} title={endpoint ? `Edit ${endpoint.name}` : 'Add a server'}>
      {endpoint && usedBy.length > 0 ? (
        <p className="alert alert-warning small" data-testid="endpoint-in-use">
          Used by {usedBy.length === 1 ? `the task “${usedBy[0]}”` : `${usedBy.length} tasks`}. A new host, port or TLS
          setting marks their accounts untested: test the logins again before the next run.
        </p>
      ) : null}
      <EndpointForm key={endpoint?.id ?? 'new'} endpoint={endpoint} onDone={onClose} />
    </Modal>
  );
}

function EndpointForm({ endpoint, onDone }: { endpoint: Endpoint | null; onDone: () => void }) {
  const form = useForm<EndpointInput>({
    resolver: zodResolver(endpointInputSchema),
    defaultValues: endpoint ? formValues(endpoint) : blank,
  });
  const create = useCreateEndpoint({
    onSuccess: (e) => {
      pushToast(`Server “${e.name}” added`);
      onDone();
    },
  });
  const update = useUpdateEndpoint({
    onSuccess: (e) => {
      pushToast(`Server “${e.name}” saved`);
      onDone();
    },
  });
  const { errors } = form.formState;
  const onError = (error: unknown) => applyServerFieldErrors(error, form.setError, endpointFieldNames);

  const onSubmit = form.handleSubmit((values) => {
    if (endpoint) update.mutate({ id: endpoint.id, input: values }, { onError });
    else create.mutate(values, { onError });
  });

  // The port follows the TLS mode (993 or 143) until the admin types one; an existing server's
  // unusual port counts as typed.
  const [portEdited, setPortEdited] = useState(endpoint ? endpoint.port !== defaultPorts[endpoint.tls_mode] : false);
  const tlsField = form.register('tls_mode');
  const portField = form.register('port', { valueAsNumber: true });
  const tlsMode = useWatch({ control: form.control, name: 'tls_mode' });
  const onTlsChange = (mode: TlsMode) => {
    if (!portEdited) form.setValue('port', defaultPorts[mode], { shouldValidate: form.formState.isSubmitted });
  };
  const providerField = form.register('provider');
  const onProviderChange = (provider: Provider) => {
    for (const [name, value] of Object.entries(providerProfiles[provider])) {
      form.setValue(name as keyof EndpointInput, value as never);
    }
  };

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="endpoint-form">
      <Field label="Name" htmlFor="endpoint-name" error={errors.name?.message}>
        <input
          {...fieldAria('endpoint-name', errors.name?.message)}
          {...form.register('name')}
          data-autofocus
          placeholder="e.g. Old provider"
        />
      </Field>
      <Field label="Provider" htmlFor="endpoint-provider" hint="Fills the host, TLS and sign-in defaults.">
        <select
          {...fieldAria('endpoint-provider', undefined, true)}
          {...providerField}
          onChange={(event) => {
            void providerField.onChange(event);
            onProviderChange(event.target.value as Provider);
          }}
        >
          {providers.map((p) => (
            <option key={p} value={p}>
              {providerLabels[p]}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-row">
        <Field label="Host" htmlFor="endpoint-host" error={errors.host?.message} className="grow">
          <input
            {...fieldAria('endpoint-host', errors.host?.message)}
            {...form.register('host')}
            placeholder="imap.example.com"
            autoCapitalize="off"
            spellCheck={false}
          />
        </Field>
        <Field label="Port" htmlFor="endpoint-port" error={errors.port?.message} className="narrow">
          <input
            {...fieldAria('endpoint-port', errors.port?.message)}
            type="number"
            inputMode="numeric"
            min={1}
            max={65535}
            placeholder={String(defaultPorts[tlsMode])}
            {...portField}
            onChange={(event) => {
              setPortEdited(true);
              void portField.onChange(event);
            }}
          />
        </Field>
      </div>
      <Field label="TLS mode" htmlFor="endpoint-tls-mode" error={errors.tls_mode?.message} hint={tlsHints[tlsMode]}>
        <select
          {...fieldAria('endpoint-tls-mode', errors.tls_mode?.message, true)}
          {...tlsField}
          onChange={(event) => {
            void tlsField.onChange(event);
            onTlsChange(event.target.value as TlsMode);
          }}
        >
          {tlsModes.map((mode) => (
            <option key={mode} value={mode}>
              {tlsModeLabels[mode]}
            </option>
          ))}
        </select>
      </Field>
      <div className="checkbox-field">
        <input id="endpoint-verify-tls" type="checkbox" {...form.register('verify_tls')} />
        <label htmlFor="endpoint-verify-tls">Verify the server certificate</label>
      </div>
      <p className="field-hint">
        {tlsMode === 'plain'
          ? 'A plain connection has no certificate to verify.'
          : 'Turn verification off only for a server with a self-signed certificate you trust.'}
      </p>
      <Field
        label="Max simultaneous connections (optional)"
        htmlFor="endpoint-max-connections"
        error={errors.max_connections?.message}
        hint="IMAP connections to this server across all accounts; leave empty for the default."
      >
        <input
          {...fieldAria('endpoint-max-connections', errors.max_connections?.message, true)}
          type="number"
          inputMode="numeric"
          min={1}
          max={1000}
          {...form.register('max_connections', {
            setValueAs: (value: unknown) => (value === '' || value === null ? null : Number(value)),
          })}
        />
      </Field>
      <EndpointOAuthFields form={form} endpoint={endpoint} />
      <EndpointTestPanel current={() => form.getValues()} />
      <FormActions onCancel={onDone} isSubmitting={create.isPending || update.isPending} submitTestId="endpoint-submit">
        {endpoint ? 'Save server' : 'Add server'}
      </FormActions>
    </form>
  );
}
