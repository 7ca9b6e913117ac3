import { EndpointsList } from '@/features/endpoints/components/endpoints-list';

export function EndpointsRoute() {
  return (
    <>
      <div className="page-header">
        <h1>Servers</h1>
      </div>
      <EndpointsList />
    </>
  );
}
