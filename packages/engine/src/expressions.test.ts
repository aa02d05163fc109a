import { AppError } from '@weft/kernel';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { castBoolean, compileExpression, type ExpressionBindings } from './expressions';

const site = { nodeId: 'n1', param: 'mapping.total' };
const bindings: ExpressionBindings = { input: { a: 1 }, nodes: { up: { x: 7 } }, trigger: { t: 'yes' } };

async function catchError(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('compileExpression', () => {
  it('evaluates against the focus with $input, $nodes and $trigger bound', async () => {
    const expression = compileExpression('a + $nodes.up.x + ($trigger.t = "yes" ? 100 : 0) + $input.a', site);
    expect(await expression.evaluate({ a: 2 }, bindings)).toBe(2 + 7 + 100 + 1);
  });

  it('accepts an optional {{ }} wrapper', async () => {
    expect(await compileExpression('{{ a * 2 }}', site).evaluate({ a: 21 }, bindings)).toBe(42);
  });

  it('reads plain paths exactly as JSONata does, arrays and missing keys included', async () => {
    const focuses = [
      { body: { a: 41 } },
      { body: [1] },
      { body: [{ a: 1 }, { a: 2 }] },
      { body: null },
      { body: { a: [3] } },
      [{ body: { a: 1 } }],
      {},
      'text',
    ];
    for (const source of ['$', 'body', 'body.a']) {
      const fast = compileExpression(source, site);
      const reference = jsonata(source);
      for (const focus of focuses) {
        expect(await fast.evaluate(focus, bindings), `${source} on ${JSON.stringify(focus)}`).toEqual(
          await reference.evaluate(focus),
        );
      }
    }
  });

  it('turns a syntax error into ENGINE_EXPRESSION_INVALID with where it is', async () => {
    const error = await catchError(() => compileExpression('a +', site));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'ENGINE_EXPRESSION_INVALID',
      details: { nodeId: 'n1', param: 'mapping.total', expression: 'a +', position: 3 },
    });
  });

  it('turns an evaluation error into ENGINE_EXPRESSION_FAILED with where it is', async () => {
    const error = await catchError(() => compileExpression('"a" + 1', site).evaluate({}, bindings));
    expect(error).toMatchObject({
      code: 'ENGINE_EXPRESSION_FAILED',
      details: { nodeId: 'n1', param: 'mapping.total', expression: '"a" + 1', position: 5 },
    });
  });

  it('stops deep recursion with a clear error', async () => {
    const error = await catchError(() =>
      compileExpression('($f := function($n) { 1 + $f($n + 1) }; $f(0))', site).evaluate({}, bindings),
    );
    expect(error).toMatchObject({ code: 'ENGINE_EXPRESSION_FAILED', message: expect.stringMatching(/stack/i) });
  });

  it('stops an endless tail-recursive loop after the time limit instead of hanging the process', async () => {
    const error = await catchError(() =>
      compileExpression('($f := function($n) { $f($n + 1) }; $f(0))', site).evaluate({}, bindings),
    );
    expect(error).toMatchObject({ code: 'ENGINE_EXPRESSION_FAILED', message: expect.stringMatching(/timeout/i) });
  });
});

describe('castBoolean', () => {
  it('follows JSONata $boolean', async () => {
    const samples: unknown[] = [0, 1, '', 'x', [], [0, ''], [0, 1], {}, { a: 1 }, null, undefined, true, false];
    const reference = jsonata('$boolean($v)');
    for (const value of samples) {
      const expected = value === undefined ? false : await reference.evaluate({}, { v: value });
      expect(castBoolean(value), JSON.stringify(value)).toBe(expected);
    }
  });
});
