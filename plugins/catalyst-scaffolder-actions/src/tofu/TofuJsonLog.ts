/*
 * Turns the machine-readable output of `plan -json` / `apply -json` / `destroy -json` (one JSON object per line,
 * the same in OpenTofu and Terraform) into task-log lines, and keeps the progress counters.
 */

export type TofuLogLevel = 'info' | 'warn' | 'error';

export interface TofuLogLine {
  level: TofuLogLevel;
  text: string;
}

/** Resources the plan wants to touch and what the apply has done so far. */
export interface TofuChangeSummary {
  toAdd: number;
  toChange: number;
  toDestroy: number;
  added: number;
  changed: number;
  destroyed: number;
}

interface Diagnostic {
  severity?: string;
  summary?: string;
  detail?: string;
  address?: string;
  range?: { filename?: string; start?: { line?: number } };
}

interface TofuJsonMessage {
  '@level'?: string;
  '@message'?: string;
  type?: string;
  diagnostic?: Diagnostic;
  changes?: {
    add?: number;
    change?: number;
    remove?: number;
    operation?: string;
  };
  hook?: {
    action?: string;
    resource?: { addr?: string };
    elapsed_seconds?: number;
  };
  change?: { action?: string; resource?: { addr?: string } };
  outputs?: Record<string, unknown>;
}

function describeDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.range?.filename) {
    const line = d.range.start?.line ? `:${d.range.start.line}` : '';
    where = ` (${d.range.filename}${line})`;
  } else if (d.address) {
    where = ` (${d.address})`;
  }
  const detail = d.detail?.trim()
    ? `: ${d.detail.trim().replace(/\s*\n\s*/g, ' ')}`
    : '';
  return `${d.summary ?? 'unknown problem'}${detail}${where}`;
}

export class TofuJsonLog {
  readonly summary: TofuChangeSummary = {
    toAdd: 0,
    toChange: 0,
    toDestroy: 0,
    added: 0,
    changed: 0,
    destroyed: 0,
  };
  /** Error diagnostics, in tofu's words: the text of a failed run's error. */
  readonly errors: string[] = [];

  /** Returns the log line for one stdout line, or undefined when the message is not worth a line. */
  handle(line: string): TofuLogLine | undefined {
    let message: TofuJsonMessage;
    try {
      message = JSON.parse(line);
    } catch {
      return { level: 'info', text: line };
    }
    if (!message || typeof message !== 'object') {
      return { level: 'info', text: line };
    }
    const text = message['@message'] ?? '';

    switch (message.type) {
      case 'diagnostic': {
        const diagnostic = message.diagnostic ?? {};
        const described = describeDiagnostic(diagnostic);
        if (diagnostic.severity === 'error' || message['@level'] === 'error') {
          this.errors.push(described);
          return { level: 'error', text: `Error: ${described}` };
        }
        return { level: 'warn', text: `Warning: ${described}` };
      }
      case 'change_summary': {
        const changes = message.changes ?? {};
        if (changes.operation !== 'apply') {
          this.summary.toAdd = changes.add ?? 0;
          this.summary.toChange = changes.change ?? 0;
          this.summary.toDestroy = changes.remove ?? 0;
          return {
            level: 'info',
            text: `${text} — progress: ${this.summary.toAdd} to add, ${this.summary.toChange} to change, ${this.summary.toDestroy} to destroy`,
          };
        }
        return { level: 'info', text };
      }
      case 'planned_change':
        return { level: 'info', text };
      case 'apply_complete': {
        const action = message.hook?.action;
        let progress = '';
        if (action === 'create' || action === 'replace') {
          this.summary.added += 1;
          progress = ` (added ${this.summary.added}/${this.summary.toAdd})`;
        } else if (action === 'update') {
          this.summary.changed += 1;
          progress = ` (changed ${this.summary.changed}/${this.summary.toChange})`;
        } else if (action === 'delete') {
          this.summary.destroyed += 1;
          progress = ` (destroyed ${this.summary.destroyed}/${this.summary.toDestroy})`;
        }
        return { level: 'info', text: `${text}${progress}` };
      }
      case 'apply_errored':
        return { level: 'error', text };
      case 'outputs': {
        const names = Object.keys(message.outputs ?? {});
        return names.length
          ? { level: 'info', text: `Outputs: ${names.join(', ')}` }
          : undefined;
      }
      default:
        return text
          ? { level: message['@level'] === 'warn' ? 'warn' : 'info', text }
          : undefined;
    }
  }
}
