import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { FormActions } from '@/components/ui/form-actions';
import { Field } from '@/components/ui/field';
import { fieldAria } from '@/components/ui/field-aria';
import { Modal } from '@/components/ui/modal';
import { applyServerFieldErrors } from '@/lib/form-errors';
import { pushToast } from '@/lib/notifications';
import {
  accountFieldNames,
  accountInputSchema,
  accountUpdateSchema,
  type Account,
  type AccountUpdate,
} from '@/features/accounts/api/account-schema';
import { useCreateAccount } from '@/features/accounts/api/create-account';
import { useUpdateAccount } from '@/features/accounts/api/update-account';

type Props = { taskId: number; open: boolean; account: Account | null; onClose: () => void };

const placeholders: Partial<Record<keyof AccountUpdate, string>> = {
  src_username: 'e.g. alice@old-provider.example',
  dst_username: 'e.g. alice@new-provider.example',
};

/** Add an account, or edit one (an empty password keeps the stored one). */
export function AccountFormDialog({ taskId, open, account, onClose }: Props) {
  return (
    <Modal open={open} onClose={onClose} title={account ? `Edit ${account.src_username}` : 'Add an account'}>
      <AccountForm key={account?.id ?? 'new'} taskId={taskId} account={account} onDone={onClose} />
    </Modal>
  );
}

function AccountForm({ taskId, account, onDone }: { taskId: number; account: Account | null; onDone: () => void }) {
  const form = useForm<AccountUpdate>({
    resolver: zodResolver(account ? accountUpdateSchema : accountInputSchema),
    defaultValues: {
      src_username: account?.src_username ?? '',
      src_password: '',
      dst_username: account?.dst_username ?? '',
      dst_password: '',
    },
  });
  const create = useCreateAccount(taskId, {
    onSuccess: (a) => {
      pushToast(`Account ${a.src_username} added`);
      onDone();
    },
  });
  const update = useUpdateAccount(taskId, {
    onSuccess: (a) => {
      pushToast(`Account ${a.src_username} saved; test it again`);
      onDone();
    },
  });
  const { errors } = form.formState;
  const onError = (error: unknown) => applyServerFieldErrors(error, form.setError, accountFieldNames);
  const onSubmit = form.handleSubmit((values) => {
    if (account) update.mutate({ accountId: account.id, update: values }, { onError });
    else create.mutate(values, { onError });
  });
  const keepHint = account ? 'Leave empty to keep the stored password.' : undefined;

  const input = (name: keyof AccountUpdate, id: string, label: string, type: 'text' | 'password', hint?: string) => (
    <Field label={label} htmlFor={id} error={errors[name]?.message} hint={hint} className="grow">
      <input
        {...fieldAria(id, errors[name]?.message, Boolean(hint))}
        type={type}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        autoCapitalize="off"
        spellCheck={false}
        placeholder={placeholders[name]}
        data-autofocus={name === 'src_username' || undefined}
        {...form.register(name)}
      />
    </Field>
  );

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="account-form">
      <fieldset className="fieldset">
        <legend>Source (old server)</legend>
        <div className="form-row">
          {input('src_username', 'account-src-username', 'Source username', 'text')}
          {input('src_password', 'account-src-password', 'Source password', 'password', keepHint)}
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Destination (new server)</legend>
        <div className="form-row">
          {input('dst_username', 'account-dst-username', 'Destination username', 'text')}
          {input('dst_password', 'account-dst-password', 'Destination password', 'password', keepHint)}
        </div>
      </fieldset>
      <FormActions onCancel={onDone} isSubmitting={create.isPending || update.isPending} submitTestId="account-submit">
        {account ? 'Save account' : 'Add account'}
      </FormActions>
    </form>
  );
}
