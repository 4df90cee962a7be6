// Events the producer could not send go to a JSON-lines file with the reason: counted as
// failed, never silently dropped.
import { promises as fs } from 'node:fs';

export function fileDeadLetter(file: string) {
  return async (bodies: string[], reason: string): Promise<void> => {
    const at = new Date().toISOString();
    await fs.appendFile(file, bodies.map((body) => JSON.stringify({ at, reason, body })).join('\n') + '\n');
  };
}
