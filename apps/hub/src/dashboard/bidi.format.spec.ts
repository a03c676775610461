import { expect } from 'chai';
import { isolateText } from './bidi.format';

describe('isolateText', () => {
  it('should wrap text in a first-strong isolate', () => {
    expect(isolateText('web-01')).to.equal('\u2068web-01\u2069');
  });

  it('should keep an override inside, where the closing isolate mark ends it', () => {
    expect(isolateText('\u202Exunil')).to.equal('\u2068\u202Exunil\u2069');
  });

  it('should leave out an isolate terminator that would end the wrapper early', () => {
    expect(isolateText('\u2069\u202Eevil')).to.equal('\u2068\u202Eevil\u2069');
    expect(isolateText('\u2067a\u2069\u2069b')).to.equal('\u2068\u2067a\u2069b\u2069');
  });

  it('should close isolates the text leaves open before the wrapper ends', () => {
    expect(isolateText('\u2067\u2066evil')).to.equal('\u2068\u2067\u2066evil\u2069\u2069\u2069');
  });

  it('should turn a paragraph separator into a space, since it would end every isolate', () => {
    expect(isolateText('a\u2029\u202Eb')).to.equal('\u2068a \u202Eb\u2069');
  });
});
