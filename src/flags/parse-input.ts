import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { FlagDefinition, FlagValue } from './flag-types.ts';

const EXAMPLES = { boolean: 'true', number: '25', string: '"hello"', percentage: '10' } as const;

/**
 * Parses a value typed on the command line by the flag's type: `true`/`false`, a number, a whole percentage
 * (`10` or `10%`, 0-100), or any string. Anything else is FLAG_BAD_VALUE.
 * @example parseFlagInput('ROLLOUT', { type: 'percentage', default: 0 }, '25%') // 25
 */
export function parseFlagInput(name: string, definition: FlagDefinition, text: string): FlagValue {
  const raw = text.trim();
  const fail = (expected: string): never => {
    throw new ShipshapeError('FLAG_BAD_VALUE', {
      name,
      type: definition.type,
      value: text,
      expected,
      example: EXAMPLES[definition.type],
    });
  };
  switch (definition.type) {
    case 'boolean':
      if (/^true$/i.test(raw)) return true;
      if (/^false$/i.test(raw)) return false;
      return fail('true or false');
    case 'number': {
      const value = Number(raw);
      return raw !== '' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw) && Number.isFinite(value)
        ? value
        : fail('a number');
    }
    case 'percentage': {
      const match = /^(\d{1,3})%?$/.exec(raw);
      const value = match ? Number(match[1]) : Number.NaN;
      return value >= 0 && value <= 100 ? value : fail('a whole percentage from 0 to 100');
    }
    case 'string':
      return text;
  }
}
