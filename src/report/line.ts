/** How a line should look where colour exists; the plain view ignores it. */
export type Tone = 'ok' | 'bad' | 'warn' | 'dim' | 'head' | 'plain';

/** One line of human output. `detail` lines continue the line before them (hint, evidence, stack). */
export interface Line {
  text: string;
  tone: Tone;
  detail?: boolean;
  /** Headers get a blank line before them in scrolling views. */
  header?: boolean;
}
