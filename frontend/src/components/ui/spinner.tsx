export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <output className="loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </output>
  );
}
