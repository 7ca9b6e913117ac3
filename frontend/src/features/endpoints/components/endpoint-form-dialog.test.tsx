// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '@/lib/react-query';
import type { Endpoint } from '@/features/endpoints/api/endpoint-schema';
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
});
