// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '@/lib/react-query';
import { toEndpointRequest, type Endpoint } from '@/features/endpoints/api/endpoint-schema';
import { EndpointFormDialog } from '@/features/endpoints/components/endpoint-form-dialog';

function renderForm(endpoint: Endpoint | null = null) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <EndpointFormDialog open endpoint={endpoint} onClose={vi.fn<() => void>()} />
    </QueryClientProvider>,
  );
  return {
    port: screen.getByLabelText<HTMLInputElement>('Port'),
    mode: screen.getByLabelText<HTMLSelectElement>('TLS mode'),
  };
}

afterEach(cleanup);

describe('server form', () => {
  it('moves the port with the TLS mode until the admin types one', async () => {
    const { port, mode } = renderForm();
    expect(port.value).toBe('993');
    await userEvent.selectOptions(mode, 'starttls');
    expect(port.value).toBe('143');
    expect(port.placeholder).toBe('143');
    await userEvent.selectOptions(mode, 'ssl');
    expect(port.value).toBe('993');

    await userEvent.clear(port);
    await userEvent.type(port, '1993');
    await userEvent.selectOptions(mode, 'plain');
    expect(port.value).toBe('1993');
    expect(port.placeholder).toBe('143');
  });

  it('keeps an existing server on an unusual port where it is', async () => {
    const { port, mode } = renderForm({
      id: 1,
      name: 'Old',
      host: 'imap.example.com',
      port: 10993,
      tls_mode: 'ssl',
      verify_tls: true,
      max_connections: null,
      max_connections_per_account: null,
      daily_upload_mb: null,
      provider: 'generic',
      auth_mode: 'password',
      oauth2_grant: null,
      oauth2_token_url: null,
      oauth2_authorize_url: null,
      oauth2_client_id: null,
      oauth2_scope: null,
      sasl_mechanism: 'auto',
      oauth2_client_secret_set: false,
      oauth2_private_key_set: false,
      created_at: '2025-11-28T12:00:00Z',
      updated_at: '2025-11-28T12:00:00Z',
    });
    await userEvent.selectOptions(mode, 'starttls');
    expect(port.value).toBe('10993');
  });

  it('starts with the focus on the name', () => {
    renderForm();
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
  });

  it('fills the Microsoft 365 profile and shows the OAuth2 fields', async () => {
    renderForm();
    await userEvent.selectOptions(screen.getByLabelText('Provider'), 'microsoft365');
    expect(screen.getByLabelText<HTMLInputElement>('Host').value).toBe('outlook.office365.com');
    expect(screen.getByLabelText<HTMLSelectElement>('Sign-in').value).toBe('oauth2');
    expect(screen.getByLabelText<HTMLInputElement>('Scope').value).toBe('https://outlook.office365.com/.default');
    expect(screen.getByLabelText<HTMLInputElement>('Client secret').type).toBe('password');
    await userEvent.selectOptions(screen.getByLabelText('OAuth2 grant'), 'jwt_bearer');
    expect(screen.getByLabelText('Private key (PEM)')).toBeTruthy();
  });

  it('leaves out empty secrets and OAuth2 fields of a password server', () => {
    const base = {
      name: 'M',
      host: 'h',
      port: 993,
      tls_mode: 'ssl',
      verify_tls: true,
      max_connections: null,
      provider: 'microsoft365',
      auth_mode: 'oauth2',
      oauth2_grant: 'client_credentials',
      oauth2_token_url: 'https://t',
      oauth2_authorize_url: '',
      oauth2_client_id: 'app',
      oauth2_scope: '',
      sasl_mechanism: 'auto',
      oauth2_client_secret: '',
      oauth2_private_key: '',
    } as const;
    const body = toEndpointRequest(base);
    expect(body).not.toHaveProperty('oauth2_client_secret');
    expect(body.oauth2_authorize_url).toBeNull();
    expect(toEndpointRequest({ ...base, oauth2_client_secret: 's' }).oauth2_client_secret).toBe('s');
    expect(toEndpointRequest({ ...base, auth_mode: 'password' })).not.toHaveProperty('oauth2_token_url');
  });
});
