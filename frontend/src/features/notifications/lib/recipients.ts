/** A recipient list as typed in one text box: commas, semicolons, spaces or new lines between addresses. */
export function parseRecipients(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((part) => part.trim()).filter(Boolean))];
}

export const statusTone = {
  pending: 'info',
  sending: 'info',
  retrying: 'warning',
  sent: 'success',
  failed: 'danger',
} as const;
