import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { FormActions } from '@/components/ui/form-actions';
import { Field } from '@/components/ui/field';
import { fieldAria } from '@/components/ui/field-aria';
import { Modal } from '@/components/ui/modal';
import { applyServerFieldErrors } from '@/lib/form-errors';
import { useCreateTask } from '@/features/tasks/api/create-task';
import { taskFieldNames, taskInputSchema, type Task, type TaskInput } from '@/features/tasks/api/task-schema';

type EndpointOption = { id: number; name: string; host: string };
type Props = { open: boolean; endpoints: EndpointOption[]; onClose: () => void; onCreated: (task: Task) => void };

export function CreateTaskDialog({ open, endpoints, onClose, onCreated }: Props) {
  return (
    <Modal open={open} onClose={onClose} title="New migration task">
      <CreateTaskForm endpoints={endpoints} onCancel={onClose} onCreated={onCreated} />
    </Modal>
  );
}

function CreateTaskForm({ endpoints, onCancel, onCreated }: Omit<Props, 'open' | 'onClose'> & { onCancel: () => void }) {
  const form = useForm<TaskInput>({
    resolver: zodResolver(taskInputSchema),
    defaultValues: {
      name: '',
      src_endpoint_id: endpoints[0]?.id ?? 0,
      dst_endpoint_id: endpoints[1]?.id ?? endpoints[0]?.id ?? 0,
    },
  });
  const create = useCreateTask({ onSuccess: onCreated });
  const [src, dst] = useWatch({ control: form.control, name: ['src_endpoint_id', 'dst_endpoint_id'] });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit((values) =>
    create.mutate(values, { onError: (error) => applyServerFieldErrors(error, form.setError, taskFieldNames) }),
  );

  const endpointSelect = (name: 'src_endpoint_id' | 'dst_endpoint_id', id: string, label: string) => (
    <Field label={label} htmlFor={id} error={errors[name]?.message} className="grow">
      <select {...fieldAria(id, errors[name]?.message)} {...form.register(name, { setValueAs: Number })}>
        {endpoints.map((e) => (
          <option key={e.id} value={e.id}>
            {e.name} ({e.host})
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <form className="stack" onSubmit={onSubmit} noValidate data-testid="task-form">
      <Field label="Task name" htmlFor="task-name" error={errors.name?.message}>
        <input
          {...fieldAria('task-name', errors.name?.message)}
          {...form.register('name')}
          data-autofocus
          placeholder="e.g. Acme to the new provider"
        />
      </Field>
      <div className="form-row">
        {endpointSelect('src_endpoint_id', 'task-src-endpoint', 'Source server')}
        {endpointSelect('dst_endpoint_id', 'task-dst-endpoint', 'Destination server')}
      </div>
      {endpoints.length > 1 && src === dst ? (
        <p className="field-hint text-warning" data-testid="task-same-server">
          Source and destination are the same server. That is right only to move mail between accounts on one server.
        </p>
      ) : null}
      <FormActions onCancel={onCancel} isSubmitting={create.isPending} submitTestId="task-submit">
        Create task
      </FormActions>
    </form>
  );
}
