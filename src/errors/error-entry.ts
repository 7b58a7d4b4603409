/** Who must act on an error: decides the exit code and whether a stack trace is useful. */
export type ErrorKind = 'user' | 'target' | 'outcome' | 'internal';

/** What a catalogue entry makes of its context: one line saying what is wrong, and what to do. */
export interface ErrorEntry {
  message: string;
  hint: string;
  kind?: ErrorKind;
  exit?: number;
}
