import type { HostStatus } from '../hosts/host.types';

// View-models hold display strings only: every number is formatted before a
// template sees it, so templates stay free of logic and helpers.

export interface StatusBadgeView {
  key: HostStatus;
  label: string;
  /** CSS class for the badge colour; the badge also carries its label as text. */
  className: string;
  description: string;
}

/** A percentage shown as text and, where known, as a `<meter>` bar. */
export interface PercentView {
  text: string;
  /** False when the value is unknown: then no bar is drawn. */
  hasValue: boolean;
  /** 0..100 for the meter's `value` attribute. */
  value: number;
  /** The meter's colour bands: a browser colours the bar by where `value` falls against these. */
  low: number;
  high: number;
  optimum: number;
}

/** One labelled value of a detail section. */
export interface FieldView {
  label: string;
  value: string;
  /** Where the value joins several values from a host (maker and model): each, to be shown set apart. */
  parts?: string[];
  /** ISO time: when set, the value is a relative time and this goes in `datetime`/`title`. */
  iso?: string;
  /** A bar drawn beside the value. */
  bar?: PercentView;
}
