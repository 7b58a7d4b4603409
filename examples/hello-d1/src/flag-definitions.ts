// The example's feature flags, as plain data with no imports: the worker reads its defaults from here, and
// shipshape.config.ts can import the same object for `flags.definitions`, so each default is written once.
export const FLAG_DEFINITIONS = {
  NEW_GREETING_ENABLED: {
    type: 'boolean',
    default: false,
    description: 'serve the new greeting on /api/greeting',
  },
  GREETING_ROLLOUT: {
    type: 'percentage',
    default: 0,
    description: 'share of users who see the new greeting',
  },
  MAX_ITEMS_PER_PAGE: { type: 'number', default: 20, description: 'upper bound for /api/items?limit' },
} as const;
