import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { checkAck } from './ack.check';
import { ackError, ackOk, ackSchema } from './ack.schema';
import { ERROR_CODES, MAX_ERROR_MESSAGE_LENGTH } from './error-codes';

/** Acks a hub could send, and every way one can be wrong. */
const CASES: ReadonlyArray<[string, unknown]> = [
  ['ok', ackOk()],
  ...ERROR_CODES.map((code): [string, unknown] => [`error ${code}`, ackError(code, 'why')]),
  ['an empty message', ackError('INTERNAL_ERROR', '')],
  ['the longest message', ackError('INTERNAL_ERROR', 'x'.repeat(MAX_ERROR_MESSAGE_LENGTH))],
  ['a message one too long', ackError('INTERNAL_ERROR', 'x'.repeat(MAX_ERROR_MESSAGE_LENGTH + 1))],
  ['an unknown code', { ok: false, error: { code: 'TEAPOT', message: 'no' } }],
  ['a code in lower case', { ok: false, error: { code: 'internal_error', message: 'no' } }],
  ['a numeric code', { ok: false, error: { code: 1, message: 'no' } }],
  ['a numeric message', { ok: false, error: { code: 'INTERNAL_ERROR', message: 1 } }],
  ['a missing message', { ok: false, error: { code: 'INTERNAL_ERROR' } }],
  ['a missing code', { ok: false, error: { message: 'no' } }],
  ['a missing error', { ok: false }],
  ['a null error', { ok: false, error: null }],
  ['an array error', { ok: false, error: [] }],
  ['an extra key in the error', { ok: false, error: { code: 'INTERNAL_ERROR', message: 'no', stack: 'x' } }],
  ['an extra key beside ok', { ok: true, extra: 1 }],
  ['an error beside ok: true', { ok: true, error: { code: 'INTERNAL_ERROR', message: 'no' } }],
  ['an extra key beside the error', { ok: false, error: { code: 'INTERNAL_ERROR', message: 'no' }, data: 1 }],
  ['ok as a string', { ok: 'true' }],
  ['ok as a number', { ok: 1 }],
  ['ok missing', {}],
  ['ok null', { ok: null }],
  ['a __proto__ key', JSON.parse('{"ok":true,"__proto__":{"x":1}}')],
  ['null', null],
  ['undefined', undefined],
  ['a string', 'ok'],
  ['a number', 1],
  ['true', true],
  ['an array', [true]],
  ['an array with ok', Object.assign([], { ok: true })],
];

describe('checkAck', () => {
  for (const [name, input] of CASES) {
    it(`should give ackSchema's verdict and data for ${name}`, () => {
      const expected = ackSchema.safeParse(input);
      const sut = checkAck(input);
      expect(sut.ok, JSON.stringify(sut)).to.equal(expected.success);
      if (sut.ok && expected.success) expect(sut.data).to.deep.equal(expected.data);
    });
  }

  it('should name the path of the problem', () => {
    const sut = checkAck({ ok: false, error: { code: 'TEAPOT', message: 'no' } });
    expect(sut.ok === false && sut.message).to.match(/^error\.code: /);
  });

  it('should keep the schema library out of a process that loads only the light entry', () => {
    const script = "require('./light.js'); process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((file) => /[\\\\/]zod[\\\\/]/.test(file))));";
    const loaded: unknown = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8' }));
    expect(loaded).to.deep.equal([]);
  });
});
