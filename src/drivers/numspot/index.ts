// The Numspot driver as registered: pure schema + semantic checks + connect.
import type { Driver } from '../contract.js';
import { numspotSchema } from './schema.js';
import { connectNumspot } from './session.js';
import { validateNumspotImage } from './validate.js';

export const numspotDriver = {
  schema: numspotSchema,
  validate_image: validateNumspotImage,
  connect: connectNumspot,
} satisfies Driver;
