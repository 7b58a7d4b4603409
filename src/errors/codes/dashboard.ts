import { defineErrors } from './define.ts';

export const dashboardErrors = defineErrors({
  DASHBOARD_PORT_IN_USE: (c) => ({
    message: `Port ${c.port} is already in use on 127.0.0.1: the dashboard cannot listen there.`,
    hint: 'Choose another port with "shipshape dashboard --port <N>", or --port 0 for a free one.',
  }),
  DASHBOARD_REASON_REQUIRED: (c) => ({
    message: `${c.action} from the dashboard needs a reason.`,
    hint: 'Say why in the reason field: it is journaled and announced with your name.',
  }),
  DASHBOARD_BAD_REQUEST: (c) => ({
    message: `The dashboard refused the request: ${c.reason}`,
    hint: 'Use the buttons of the page the dashboard printed; other sites and scripts cannot act through it.',
  }),
});
