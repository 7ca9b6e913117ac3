import { useDocumentTitle } from '@/lib/use-document-title';
import { roleAllows, useRole } from '@/lib/role';
import { AuditLog } from '@/features/audit/components/audit-log';

export function AuditRoute() {
  useDocumentTitle('Audit log');
  const role = useRole();
  return (
    <>
      <div className="page-header">
        <h1>Audit log</h1>
        <p className="muted">Every change made through the console or the API, and the scheduler&apos;s own.</p>
      </div>
      {roleAllows(role, 'operator') ? (
        <AuditLog />
      ) : (
        <p className="action-reason" data-testid="audit-forbidden">
          Admins and operators read the audit log; your role is {role ?? 'unknown'}.
        </p>
      )}
    </>
  );
}
