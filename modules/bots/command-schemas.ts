import type { z } from 'zod';
import type { CommandBody } from '@weft/contracts';

/**
 * A command as the service receives it: the API's CommandBody (Discord's
 * naming and option rules, packages/contracts) after validation, defaults filled.
 */
export type CommandInput = z.output<typeof CommandBody>;
