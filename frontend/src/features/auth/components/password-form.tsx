import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { fieldAria } from '@/components/ui/field-aria';
import { applyServerFieldErrors } from '@/lib/form-errors';
import { pushToast } from '@/lib/notifications';
import { passwordChangeSchema, useChangePassword, type PasswordChange } from '@/features/auth/api/change-password';

const EMPTY: PasswordChange = { current_password: '', new_password: '', repeat: '' };

/** Change your own password; your sessions in other browsers end. */
export function PasswordForm() {
  const form = useForm<PasswordChange>({ resolver: zodResolver(passwordChangeSchema), defaultValues: EMPTY });
  const change = useChangePassword({
    onSuccess: () => {
      form.reset(EMPTY);
      pushToast('Password changed; your other sessions have ended');
    },
  });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit((values) =>
    change.mutate(values, {
      onError: (error) => applyServerFieldErrors(error, form.setError, ['current_password', 'new_password']),
    }),
  );
  return (
    <form className="card user-form" onSubmit={onSubmit} noValidate data-testid="password-form">
      <h2>Change your password</h2>
      <Field label="Current password" htmlFor="pw-current" error={errors.current_password?.message}>
        <input
          {...fieldAria('pw-current', errors.current_password?.message)}
          type="password"
          autoComplete="current-password"
          {...form.register('current_password')}
        />
      </Field>
      <Field label="New password" htmlFor="pw-new" error={errors.new_password?.message} hint="At least 8 characters.">
        <input
          {...fieldAria('pw-new', errors.new_password?.message)}
          type="password"
          autoComplete="new-password"
          {...form.register('new_password')}
        />
      </Field>
      <Field label="Repeat it" htmlFor="pw-repeat" error={errors.repeat?.message}>
        <input
          {...fieldAria('pw-repeat', errors.repeat?.message)}
          type="password"
          autoComplete="new-password"
          {...form.register('repeat')}
        />
      </Field>
      <div className="form-actions">
        <Button type="submit" variant="primary" isLoading={change.isPending} data-testid="password-submit">
          Change password
        </Button>
      </div>
    </form>
  );
}
