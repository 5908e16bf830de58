import { z } from 'zod/v3';
import { formatIssuePath } from '../data/dataFile';

/** One line per issue: `regions[0].cloudRegion: "xyz" is not a Hetzner Cloud region; …`. */
export function formatRequestIssues(error: z.ZodError): string[] {
  return error.issues.map(issue => {
    const field = formatIssuePath(issue.path);
    return field ? `${field}: ${issue.message}` : issue.message;
  });
}
