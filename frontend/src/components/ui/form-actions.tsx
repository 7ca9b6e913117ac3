import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';

/** The footer of a dialog form: Cancel, then the submit button (busy while saving). */
export function FormActions({
  onCancel,
  isSubmitting,
  submitTestId,
  children,
}: {
  onCancel: () => void;
  isSubmitting: boolean;
  submitTestId: string;
  children: ReactNode;
}) {
  return (
    <div className="form-actions">
      <Button onClick={onCancel}>Cancel</Button>
      <Button type="submit" variant="primary" isLoading={isSubmitting} data-testid={submitTestId}>
        {children}
      </Button>
    </div>
  );
}
