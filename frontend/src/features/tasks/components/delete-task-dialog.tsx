import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { pushToast } from '@/lib/notifications';
import { useDeleteTask } from '@/features/tasks/api/delete-task';

type Props = { task: { id: number; name: string } | null; onClose: () => void; onDeleted?: () => void };

export function DeleteTaskDialog({ task, onClose, onDeleted }: Props) {
  const remove = useDeleteTask({
    onSuccess: () => {
      pushToast(`Task “${task?.name ?? ''}” deleted`);
      onClose();
      onDeleted?.();
    },
  });
  return (
    <ConfirmDialog
      open={task !== null}
      title={`Delete the task “${task?.name ?? ''}”?`}
      confirmLabel="Delete task"
      isPending={remove.isPending}
      onConfirm={() => task && remove.mutate(task.id)}
      onClose={onClose}
    >
      <p>
        <strong>{task?.name}</strong> is deleted with its accounts, its schedule and its run history. Mail already copied
        stays on the destination server.
      </p>
    </ConfirmDialog>
  );
}
