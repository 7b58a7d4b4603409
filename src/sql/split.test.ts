import { describe, expect, it } from 'vitest';
import { splitStatements } from './split.ts';
import { SqlSyntaxError, tokenize } from './tokenizer.ts';

describe('tokenize', () => {
  it('keeps strings, quoted names and comments apart from words', () => {
    const { tokens, comments } = tokenize(
      `SELECT 'DROP TABLE x;', "drop", [table], \`y\` -- DROP TABLE z\n/* DELETE */ 1`,
    );
    expect(tokens.map((t) => t.type)).toEqual([
      'word',
      'string',
      'op',
      'quoted',
      'op',
      'quoted',
      'op',
      'quoted',
      'number',
    ]);
    expect(tokens[3].value).toBe('drop');
    expect(comments.map((c) => c.text.trim())).toEqual(['DROP TABLE z', 'DELETE']);
    expect(tokens[8].line).toBe(2);
  });

  it('unescapes doubled quotes and counts lines inside literals', () => {
    const { tokens } = tokenize(`'it''s\nfine' x`);
    expect(tokens[0].value).toBe("it's\nfine");
    expect(tokens[1].line).toBe(2);
  });

  it('reports an unterminated string with its line', () => {
    expect(() => tokenize(`SELECT 1;\nSELECT 'oops`)).toThrow(SqlSyntaxError);
    try {
      tokenize(`SELECT 1;\nSELECT 'oops`);
    } catch (err) {
      expect((err as SqlSyntaxError).line).toBe(2);
    }
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const { statements } = splitStatements(
      `INSERT INTO t VALUES ('a;b'); -- x;y\nUPDATE "t;" SET a = 1;\n\n;`,
    );
    expect(statements.map((s) => s.line)).toEqual([1, 2]);
    expect(statements[1].text).toBe('UPDATE "t;" SET a = 1');
  });

  it('keeps a trigger body with CASE … END in one statement', () => {
    const sql = `create trigger trg after insert on a begin
  update b set n = case when new.x > 1 then 1 else 0 end;
  delete from c where id = new.id;
end;
CREATE TABLE z (id INTEGER);`;
    const { statements } = splitStatements(sql);
    expect(statements).toHaveLength(2);
    expect(statements[0].endLine).toBe(4);
    expect(statements[1].line).toBe(5);
  });
});
