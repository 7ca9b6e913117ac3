type ProgressBarProps = {
  label: string;
  /** 0..100, or null when the total is not known yet. */
  value: number | null;
  valueText: string;
  testId?: string;
  tone?: 'info' | 'success' | 'warning' | 'danger';
};

export function ProgressBar({ label, value, valueText, testId, tone = 'info' }: ProgressBarProps) {
  return (
    <progress
      className={`progress progress-${tone}`}
      max={100}
      value={value === null ? undefined : Math.round(value * 10) / 10}
      aria-label={label}
      aria-valuetext={valueText}
      data-testid={testId}
      data-value={value === null ? undefined : Math.round(value)}
    >
      {valueText}
    </progress>
  );
}
