// The recorded traffic of the Terraform provider's image test (specs/numspot/*.extract.json):
// real Numspot requests and answers, used as fixtures by the mapping and replay tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RecordedInteraction {
  id: number;
  method: string;
  path: string;
  requestHeaders: Record<string, string[]>;
  requestForm: Record<string, string[]> | null;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string[]>;
  responseBody: unknown;
}

const PATH = fileURLToPath(new URL('../../../specs/numspot/TestAccImageResource.images-and-tags.extract.json', import.meta.url));

export function loadRecording(): RecordedInteraction[] {
  return JSON.parse(readFileSync(PATH, 'utf8')) as RecordedInteraction[];
}

/** `/compute/spaces/<uuid>/images/ami-1234abcd` → `/compute/spaces/{spaceId}/images/{id}`. */
export function pathShape(path: string): string {
  return path
    .split('?')[0]!
    .replace(/\/compute\/spaces\/[^/]+/, '/compute/spaces/{spaceId}')
    .replace(/\/images\/[^/]+$/, '/images/{id}');
}
