/** The HTML report's stylesheet: readable on screen and in print, no web fonts (nothing to load). */
export const REPORT_STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #212529; margin: 24px auto; max-width: 1140px; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; border-bottom: 1px solid #dee2e6; } h3 { font-size: 15px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #e9ecef; vertical-align: top; }
table.facts th { color: #495057; font-weight: 600; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
pre { background: #f8f9fa; padding: 8px; max-width: 620px; overflow: auto; }
.outcome.pass { color: #2b8a3e; } .outcome.warning { color: #e67700; } .outcome.failed, .outcome.rolled-back { color: #c92a2a; }
.st.fail, .sev.high, .sev.critical { color: #c92a2a; font-weight: 600; } .st.warn, .sev.medium { color: #e67700; } .st.pass, .sev.low { color: #2b8a3e; }
figure.chart { margin: 12px 0 24px; } figcaption { font-weight: 600; margin-bottom: 4px; }
.legend { color: #495057; } footer { margin-top: 40px; color: #868e96; font-size: 12px; }
`;
