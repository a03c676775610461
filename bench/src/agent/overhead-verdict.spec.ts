import { expect } from 'chai';
import { compareRatio, overheadVerdict, type MethodRatio } from './overhead-verdict';

const alternating = (ratio: number, load: MethodRatio['load'] = 'quiet'): MethodRatio => ({ method: 'alternating', ratio, load });
const concurrent = (ratio: number, load: MethodRatio['load'] = 'quiet'): MethodRatio => ({ method: 'concurrent', ratio, load });

describe('overheadVerdict', () => {
  it('should call a ratio within 10 % of 1 about equal', () => {
    expect([0.85, 0.9, 1.07, 1.1, 1.2].map(compareRatio)).to.deep.equal(['below', 'about equal', 'about equal', 'about equal', 'above']);
    expect(compareRatio(Number.NaN)).to.equal(null);
  });

  it('should claim below when both methods are below on a quiet machine', () => {
    const sut = overheadVerdict(1, [alternating(0.67), concurrent(0.8)]);
    expect(sut.claim).to.equal('below');
    expect(sut.load).to.equal('quiet');
    expect(sut.text).to.equal('below node_exporter at 1 s by both methods, on a quiet machine (alternating 0.67x, quiet; concurrent 0.80x, quiet)');
  });

  it('should claim only "not above" when one method is below and the other about equal', () => {
    const sut = overheadVerdict(1, [alternating(0.7, 'loaded'), concurrent(1.07, 'loaded')]);
    expect(sut.claim).to.equal('not above');
    expect(sut.load).to.equal('loaded');
    expect(sut.text).to.match(/^at most about equal to node_exporter at 1 s by both methods, under load/);
  });

  it('should claim about equal under load when both are within the margin', () => {
    expect(overheadVerdict(1, [alternating(1.05, 'loaded'), concurrent(1.08, 'loaded')]).claim).to.equal('about equal');
  });

  it('should say when the two windows were taken under different loads', () => {
    const sut = overheadVerdict(5, [alternating(0.7, 'quiet'), concurrent(0.82, 'loaded')]);
    expect(sut.claim).to.equal('below');
    expect(sut.load).to.equal('mixed');
    expect(sut.text).to.contain('one method under load');
  });

  it('should not decide when the methods point opposite ways', () => {
    expect(overheadVerdict(5, [alternating(0.7), concurrent(1.3)]).claim).to.equal('undecided');
    expect(overheadVerdict(5, [alternating(1.2), concurrent(1.0)]).claim).to.equal('not below');
  });

  it('should not decide from one method alone or from a ratio that was not measured', () => {
    expect(overheadVerdict(1, [alternating(0.6)]).claim).to.equal('undecided');
    expect(overheadVerdict(1, [alternating(0.6)]).text).to.contain('it needs both methods');
    expect(overheadVerdict(1, [alternating(0.6), concurrent(Number.NaN)]).claim).to.equal('undecided');
    expect(overheadVerdict(1, [alternating(0.6), alternating(0.7)]).claim).to.equal('undecided');
  });
});
